// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBTrading} from "../../interfaces/IOBTrading.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {LibBook} from "../libraries/LibBook.sol";
import {LibMatch} from "../libraries/LibMatch.sol";
import {LibMark} from "../libraries/LibMark.sol";
import {LibLock} from "../libraries/LibLock.sol";
import {LibConfig} from "../libraries/LibConfig.sol";

/// @title OBTradingFacet
/// @notice Order entry of one market. Every order acts for msg.sender only; no liquidation work
/// runs here (an ordinary trader never pays for it).
contract OBTradingFacet is IOBTrading {
    uint256 private constant BPS = 10_000;
    uint256 private constant ONE = 1e18;

    /// @inheritdoc IOBTrading
    function placeMarginLimitOrder(uint256 price, uint256 amount, bool isBuy) external returns (uint256 orderId) {
        return _placeLimit(price, amount, isBuy, false, false);
    }

    /// @inheritdoc IOBTrading
    function placeLimitOrder(
        uint256 price,
        uint256 amount,
        bool isBuy,
        bool postOnly,
        bool reduceOnly
    ) external returns (uint256 orderId) {
        return _placeLimit(price, amount, isBuy, postOnly, reduceOnly);
    }

    /// @inheritdoc IOBTrading
    function placeMarginMarketOrder(uint256 amount, bool isBuy) external returns (uint256 filled) {
        return _placeMarket(amount, isBuy, S.load().params.defaultSlippageBps, false);
    }

    /// @inheritdoc IOBTrading
    function placeMarginMarketOrderWithSlippage(
        uint256 amount,
        bool isBuy,
        uint256 slippageBps
    ) external returns (uint256 filled) {
        return _placeMarket(amount, isBuy, slippageBps, false);
    }

    /// @inheritdoc IOBTrading
    function placeMarketOrder(
        uint256 amount,
        bool isBuy,
        uint256 slippageBps,
        bool reduceOnly
    ) external returns (uint256 filled) {
        return _placeMarket(amount, isBuy, slippageBps, reduceOnly);
    }

    /// @inheritdoc IOBTrading
    function cancelOrder(uint256 orderId) external {
        LibLock.enter();
        S.Layout storage s = S.load();
        _cancelOwn(s, orderId);
        LibLock.exit();
    }

    /// @inheritdoc IOBTrading
    function cancelAllOrders() external returns (uint256 cancelled) {
        LibLock.enter();
        S.Layout storage s = S.load();
        uint48 id = s.userBooks[msg.sender].head;
        while (id != 0) {
            uint48 next = s.orders[id].userNext;
            _cancelOwn(s, id);
            ++cancelled;
            id = next;
        }
        LibLock.exit();
    }

    /// @inheritdoc IOBTrading
    function modifyOrder(uint256 orderId, uint256 price, uint256 amount) external returns (uint256 newOrderId) {
        S.Layout storage s = S.load();
        LibLock.enter();
        uint8 flags = _cancelOwn(s, orderId);
        LibLock.exit();
        return _placeLimit(price, amount, flags & S.FLAG_BUY != 0, false, flags & S.FLAG_REDUCE_ONLY != 0);
    }

    // ------------------------------------------------------------------ internals

    function _placeLimit(
        uint256 price,
        uint256 amount,
        bool isBuy,
        bool postOnly,
        bool reduceOnly
    ) private returns (uint256) {
        LibLock.enter();
        S.Layout storage s = S.load();
        uint24 tick = LibBook.toTick(s, price);
        _checkSize(s, amount, price);
        uint48 id = s.nextOrderId;
        s.nextOrderId = id + 1;
        uint256 remaining = reduceOnly ? _reducible(s, amount, isBuy) : amount;
        uint256 opp = isBuy ? s.bestAsk : s.bestBid;
        if (opp != 0 && (isBuy ? tick >= opp : tick <= opp)) {
            if (postOnly) revert PostOnlyWouldCross(price, opp * s.params.tickSize);
            (uint256 filled, ) = LibMatch.matchTaker(s, LibMatch.Taker(msg.sender, id, isBuy, tick, remaining));
            remaining -= filled;
            if (filled != 0) LibMark.pushAfterTrade(s, LibMark.refresh(s));
            if (remaining != 0) {
                opp = isBuy ? s.bestAsk : s.bestBid;
                if (opp != 0 && (isBuy ? tick >= opp : tick <= opp)) {
                    // Fill bound hit while still crossing: resting would cross the book.
                    emit TakerRemainderDropped(id, msg.sender, remaining);
                    remaining = 0;
                }
            }
        }
        if (remaining != 0) _rest(s, id, tick, price, remaining, isBuy, reduceOnly);
        LibLock.exit();
        return id;
    }

    function _rest(
        S.Layout storage s,
        uint48 id,
        uint24 tick,
        uint256 price,
        uint256 amount,
        bool isBuy,
        bool reduceOnly
    ) private {
        uint8 flags = (isBuy ? S.FLAG_BUY : 0) | (reduceOnly ? S.FLAG_REDUCE_ONLY : 0);
        LibBook.insert(s, id, msg.sender, uint96(amount), tick, flags);
        if (!reduceOnly) {
            // Round the reservation up so a resting order is never under-margined.
            uint256 reserve = (((amount * price) / ONE) * s.params.marginBps + BPS - 1) / BPS;
            ICoreVault(s.vault).reserveMargin(msg.sender, s.marketId, id, reserve);
        }
        emit OrderPlaced(id, msg.sender, isBuy, price, amount);
    }

    function _placeMarket(uint256 amount, bool isBuy, uint256 slippageBps, bool reduceOnly) private returns (uint256) {
        LibLock.enter();
        S.Layout storage s = S.load();
        if (slippageBps > LibConfig.MAX_SLIPPAGE_BPS) revert SlippageTooHigh(slippageBps, LibConfig.MAX_SLIPPAGE_BPS);
        uint256 opp = isBuy ? s.bestAsk : s.bestBid;
        if (opp == 0) revert NoLiquidity(isBuy);
        uint256 ts = s.params.tickSize;
        _checkSize(s, amount, opp * ts);
        uint256 limitTick = isBuy
            ? (opp * ts * (BPS + slippageBps)) / BPS / ts
            : ((opp * ts * (BPS - slippageBps)) / BPS + ts - 1) / ts;
        uint48 id = s.nextOrderId;
        s.nextOrderId = id + 1;
        uint256 remaining = reduceOnly ? _reducible(s, amount, isBuy) : amount;
        (uint256 filled, ) = LibMatch.matchTaker(s, LibMatch.Taker(msg.sender, id, isBuy, limitTick, remaining));
        if (filled != 0) LibMark.pushAfterTrade(s, LibMark.refresh(s));
        if (remaining != filled) emit TakerRemainderDropped(id, msg.sender, remaining - filled);
        LibLock.exit();
        return filled;
    }

    function _checkSize(S.Layout storage s, uint256 amount, uint256 price) private view {
        uint256 lot = s.params.lotSize;
        if (amount == 0 || amount % lot != 0) revert InvalidAmount(amount, lot);
        if (amount > type(uint96).max) revert AmountTooLarge(amount, type(uint96).max);
        uint256 notional = (amount * price) / ONE;
        uint256 minNotional = s.params.minNotional;
        if (notional < minNotional) revert NotionalTooSmall(notional, minNotional);
    }

    /// @dev Reduce-only: the part of `amount` that shrinks the caller's position; reverts when none.
    function _reducible(S.Layout storage s, uint256 amount, bool isBuy) private view returns (uint256) {
        uint256 capped = LibMatch.capReduceOnly(s, msg.sender, isBuy, amount);
        if (capped == 0) {
            revert ReduceOnlyWouldIncrease(
                msg.sender,
                ICoreVault(s.vault).getPosition(msg.sender, s.marketId).size,
                isBuy
            );
        }
        return capped;
    }

    function _cancelOwn(S.Layout storage s, uint256 orderId) private returns (uint8 flags) {
        S.Order memory o = s.orders[orderId];
        if (o.trader == address(0)) revert OrderNotFound(orderId);
        if (o.trader != msg.sender) revert NotOrderOwner(orderId, msg.sender, o.trader);
        LibMatch.cancelResting(s, uint48(orderId), o);
        return o.flags;
    }
}
