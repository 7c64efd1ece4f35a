// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOBErrors
/// @notice The order book's one error catalogue (all facets share one ABI: no name twice).
/// Prices are USDC 6 decimals, amounts 18 decimals.
interface IOBErrors {
    error AlreadyInitialized();
    error ZeroAddress();
    error Reentered();
    error InvalidPrice(uint256 price, uint256 tickSize);
    error PriceOutOfRange(uint256 price, uint256 maxPrice);
    error InvalidAmount(uint256 amount, uint256 lotSize);
    error AmountTooLarge(uint256 amount, uint256 max);
    /// @notice An order's reservation must fit its slot (uint56 USDC).
    error ReservationTooLarge(uint256 reserve, uint256 max);
    error NotionalTooSmall(uint256 notional, uint256 minNotional);
    error PostOnlyWouldCross(uint256 price, uint256 bestOpposite);
    error ReduceOnlyWouldIncrease(address trader, int256 position, bool isBuy);
    error OrderNotFound(uint256 orderId);
    error NotOrderOwner(uint256 orderId, address caller, address trader);
    error TooManyOrders(address trader, uint256 max);
    error NoLiquidity(bool takerIsBuy);
    error SlippageTooHigh(uint256 slippageBps, uint256 max);
    error BoundOutOfRange(bytes32 name, uint256 value, uint256 min, uint256 max);
    error UserNotLiquidatable(address user, uint256 markPrice);
    error NoMarkPrice();
    error NotRewardKeeper(address caller);
    error RewardExceedsAccrued(address liquidatedUser, uint256 requested, uint256 accrued);
    error NoLiquidatorReward(address liquidator);
    error ArrayLengthMismatch(uint256 a, uint256 b);
    error NotSettlementRole(address caller);
    error TooManyCandidates(uint256 count, uint256 max);
    error AdlNotNeeded(address user, uint256 bookLiquidity);
    error CandidatesNotRanked(uint256 index, int256 previousPnl, int256 pnl);
    error NotOppositeSide(address candidate, int256 size);
}
