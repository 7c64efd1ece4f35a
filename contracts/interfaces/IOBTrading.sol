// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBErrors} from "./IOBErrors.sol";

/// @title IOBTrading
/// @notice Orders of one market. Prices USDC 6 decimals, amounts 18 decimals. Price-time priority
/// (best price first, FIFO within a level), partial fills, a bound of `maxFillsPerTaker` matches
/// per taker order: a limit order's remainder rests unless it would still cross (then it is
/// dropped), a market order's remainder is dropped. Self-trade prevention: a taker meeting its
/// own resting order cancels that resting order (its reservation released) and continues; the
/// cancel counts toward the fill bound. Resting orders reserve `notional * marginBps / 1e4` in the
/// vault; every match settles both sides through one `CoreVault.settleFill`.
interface IOBTrading is IOBErrors {
    /// @notice A resting order was added (or the rested remainder of a taker order).
    event OrderPlaced(uint256 indexed orderId, address indexed trader, bool isBuy, uint256 price, uint256 amount);
    /// @notice A resting order left the book unfilled for `remaining` (cancel, modify, self-trade).
    event OrderCancelled(uint256 indexed orderId, address indexed trader, uint256 remaining);
    /// @notice One match. Everything an indexer needs: trades live in events, not storage.
    event TradeExecuted(
        uint256 indexed makerOrderId,
        uint256 indexed takerOrderId,
        address indexed maker,
        address taker,
        bool takerIsBuy,
        uint256 price,
        uint256 amount,
        uint256 makerFee,
        uint256 takerFee
    );
    /// @notice The taker met its own resting order; the resting order was cancelled.
    event SelfTradePrevented(uint256 indexed makerOrderId, uint256 indexed takerOrderId, address indexed trader);
    /// @notice The unfilled part of a taker order was not rested (market order, fill bound hit
    /// while still crossing, or slippage bound reached).
    event TakerRemainderDropped(uint256 indexed takerOrderId, address indexed trader, uint256 remaining);

    /// @notice v5: good-till-cancel limit order. Returns the order id (also when fully filled).
    function placeMarginLimitOrder(uint256 price, uint256 amount, bool isBuy) external returns (uint256 orderId);

    /// @notice Limit order with options: `postOnly` reverts instead of crossing; `reduceOnly`
    /// may only shrink the caller's position (checked at placement and capped again at each fill).
    function placeLimitOrder(
        uint256 price,
        uint256 amount,
        bool isBuy,
        bool postOnly,
        bool reduceOnly
    ) external returns (uint256 orderId);

    /// @notice v5: market order bounded by the market's default slippage from the best opposite price.
    function placeMarginMarketOrder(uint256 amount, bool isBuy) external returns (uint256 filled);

    /// @notice v5: market order that never fills beyond `slippageBps` from the best opposite price.
    function placeMarginMarketOrderWithSlippage(
        uint256 amount,
        bool isBuy,
        uint256 slippageBps
    ) external returns (uint256 filled);

    /// @notice Market order with slippage bound and reduce-only option.
    function placeMarketOrder(
        uint256 amount,
        bool isBuy,
        uint256 slippageBps,
        bool reduceOnly
    ) external returns (uint256 filled);

    /// @notice Cancel one of the caller's resting orders; releases its reservation. Once the vault
    /// no longer trades this market through this book (settling, settled or reassigned), anyone may
    /// cancel any resting order (its reservation goes back to its owner).
    function cancelOrder(uint256 orderId) external;

    /// @notice Cancel every resting order of the caller (at most 64 per trader).
    function cancelAllOrders() external returns (uint256 cancelled);

    /// @notice Cancel and re-place at `price`/`amount` with the same side and reduce-only flag
    /// (time priority is lost; post-only is not kept). Returns the new order id.
    function modifyOrder(uint256 orderId, uint256 price, uint256 amount) external returns (uint256 newOrderId);
}
