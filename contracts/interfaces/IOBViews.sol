// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBErrors} from "./IOBErrors.sol";

/// @title IOBViews
/// @notice Read side of one market's book for the UI, keepers and tools (USDC 6 / size 18 decimals).
interface IOBViews is IOBErrors {
    struct OrderView {
        uint256 orderId;
        uint256 price;
        uint256 amount;
        address trader;
        bool isBuy;
        bool reduceOnly;
    }

    /// @notice Best bid price, 0 when the bid side is empty. O(1).
    function bestBid() external view returns (uint256);

    /// @notice Best ask price, 0 when the ask side is empty. O(1).
    function bestAsk() external view returns (uint256);

    function getBestPrices() external view returns (uint256 bid, uint256 ask);

    /// @notice The mark as it would be computed now (see docs/orderbook.md).
    function calculateMarkPrice() external view returns (uint256);

    /// @notice Mark stored at the last trade/poke, last trade price, optional index price.
    function getPriceState() external view returns (uint256 mark, uint256 lastTrade, uint256 index, uint256 indexAt);

    function getOrder(uint256 orderId) external view returns (OrderView memory);

    /// @notice Margin the live order `orderId` still holds in the vault (USDC; 0 for reduce-only):
    /// notional * marginBps at placement, scaled down with partial fills. Reverts `OrderNotFound`.
    function getOrderReservation(uint256 orderId) external view returns (uint256);

    /// @notice Ids of the user's resting orders, newest first.
    function getUserOrders(address user) external view returns (uint256[] memory orderIds);

    /// @notice Resting orders on both sides (walks the levels: for off-chain readers).
    function getActiveOrdersCount() external view returns (uint256);

    /// @notice Static market description (v5 name).
    function marketStatic()
        external
        view
        returns (
            address vault,
            bytes32 marketId,
            address feeRecipient,
            uint256 tickSize,
            uint256 lotSize,
            uint256 minNotional
        );

    /// @notice Resting total and order count at `price` on one side.
    function getDepthAtPrice(uint256 price, bool isBuy) external view returns (uint256 total, uint256 orders);

    /// @notice Up to `n` best levels of one side, best first.
    function getTopLevels(
        bool isBuy,
        uint256 n
    ) external view returns (uint256[] memory prices, uint256[] memory totals);

    function getMarketParams()
        external
        view
        returns (
            uint256 makerFeeBps,
            uint256 takerFeeBps,
            uint256 marginBps,
            uint256 maxFillsPerTaker,
            uint256 defaultSlippageBps,
            uint256 markClampBps
        );

    function getLiquidationConfig()
        external
        view
        returns (
            uint256 maxPage,
            uint256 maxUsersPerTx,
            uint256 maxLevels,
            uint256 maxAdlPerTx,
            uint256 liqPriceBoundBps,
            uint256 liqNotionalCap,
            uint256 lastCheckedIndex
        );

    /// @notice Maker rewards accrued by this market's liquidations and not yet settled (USDC).
    function makerRewardPending() external view returns (uint256);

    function rewardKeeper() external view returns (address);
}
