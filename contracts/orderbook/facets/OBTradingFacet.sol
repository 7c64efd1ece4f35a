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
import {TickBitmap} from "../libraries/TickBitmap.sol";

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
    /// @dev No reentrancy lock: the book is updated before its only external call (the vault's
    /// `releaseMargin`, which calls nothing back), so there is no state a reentrant call could see
    /// half-written. Every entry point that makes several external calls keeps the lock.
    function cancelOrder(uint256 orderId) external {
        _cancel(S.load(), orderId, true);
    }

    /// @inheritdoc IOBTrading
    function cancelAllOrders() external returns (uint256 cancelled) {
        LibLock.enter();
        S.Layout storage s = S.load();
        S.UserBook memory ub = s.userBooks[msg.sender];
        uint256 mask = ub.mask;
        uint256 lot = s.lotSize;
        LibMatch.Maker memory m;
        m.trader = msg.sender;
        while (mask != 0) {
            uint256 k = TickBitmap.lsb(mask);
            mask &= mask - 1;
            m.handle = uint40((uint256(ub.traderId) << 6) | k);
            m.o = s.orders[m.handle];
            if (m.o.seq == 0) continue; // left the book earlier
            m.id = S.orderId(m.o.seq, m.handle);
            m.amount = uint256(m.o.lots) * lot;
            LibMatch.cancelResting(s, m);
            ++cancelled;
        }
        if (ub.mask != 0) s.userBooks[msg.sender].mask = 0;
        LibLock.exit();
    }

    /// @inheritdoc IOBTrading
    function modifyOrder(uint256 orderId, uint256 price, uint256 amount) external returns (uint256 newOrderId) {
        S.Layout storage s = S.load();
        LibLock.enter();
        uint8 flags = _cancel(s, orderId, false);
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
        Resting memory r = _open(s);
        _checkSize(s, amount, price, r.lot);
        uint256 id = S.orderId(r.seq, r.handle);
        uint256 remaining = reduceOnly ? _reducible(s, amount, isBuy, r.lot) : amount;
        uint256 opp = isBuy ? s.bestAsk : s.bestBid;
        if (opp != 0 && (isBuy ? tick >= opp : tick <= opp)) {
            if (postOnly) revert PostOnlyWouldCross(price, opp * s.params.tickSize);
            (uint256 filled, ) = LibMatch.matchTaker(s, LibMatch.Taker(msg.sender, isBuy, id, tick, remaining));
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
        if (remaining != 0) _rest(s, r, tick, price, remaining, isBuy, reduceOnly);
        LibLock.exit();
        return id;
    }

    /// @dev What `_placeLimit` carries into `_rest` (keeps the stack shallow).
    struct Resting {
        uint256 seq;
        uint40 handle;
        uint256 lot;
        S.UserBook ub;
    }

    /// @dev A limit order's sequence number and the slot it will rest in: the caller's lowest free
    /// slot (slot 0 when 64 orders rest: resting then reverts, a fully filled order only needs a
    /// unique id). A first-time trader's handle uses the next trader id, handed out if it rests.
    function _open(S.Layout storage s) private returns (Resting memory r) {
        r.lot = s.lotSize;
        uint40 seq = s.nextOrderId;
        s.nextOrderId = seq + 1; // checked: never wraps to a reused id
        r.seq = seq;
        r.ub = s.userBooks[msg.sender];
        uint256 traderId = r.ub.traderId != 0 ? r.ub.traderId : uint256(s.traderCount) + 1;
        uint256 k = LibBook.freeSlot(s, msg.sender, r.ub);
        r.handle = uint40((traderId << 6) | (k & 63));
    }

    function _rest(
        S.Layout storage s,
        Resting memory r,
        uint24 tick,
        uint256 price,
        uint256 amount,
        bool isBuy,
        bool reduceOnly
    ) private {
        // The slot chosen at entry is still free unless all 64 held live orders then.
        if ((r.ub.mask >> (r.handle & 63)) & 1 != 0) revert TooManyOrders(msg.sender, S.MAX_ORDERS_PER_USER);
        if (r.ub.traderId == 0) {
            // First resting order of this trader: hand out the id the order's handle already uses.
            uint32 tid = s.traderCount + 1;
            s.traderCount = tid;
            s.traders[tid] = msg.sender;
            r.ub.traderId = tid;
        }
        uint256 reserve;
        if (!reduceOnly) {
            reserve = LibBook.reservation(amount, price, s.params.marginBps);
            if (reserve > S.MAX_RESERVE) revert ReservationTooLarge(reserve, S.MAX_RESERVE);
        }
        uint8 flags = (isBuy ? S.FLAG_BUY : 0) | (reduceOnly ? S.FLAG_REDUCE_ONLY : 0);
        // amount is a multiple of the lot and amount / lot <= MAX_LOTS (_checkSize, _reducible).
        LibBook.insert(
            s,
            msg.sender,
            r.ub,
            r.handle,
            S.Order(uint40(r.seq), uint48(amount / r.lot), tick, 0, 0, uint56(reserve), flags),
            amount
        );
        if (reserve != 0) ICoreVault(s.vault).reserveMargin(msg.sender, s.marketId, reserve);
        emit OrderPlaced(S.orderId(r.seq, r.handle), msg.sender, isBuy, price, amount);
    }

    function _placeMarket(uint256 amount, bool isBuy, uint256 slippageBps, bool reduceOnly) private returns (uint256) {
        LibLock.enter();
        S.Layout storage s = S.load();
        if (slippageBps > LibConfig.MAX_SLIPPAGE_BPS) revert SlippageTooHigh(slippageBps, LibConfig.MAX_SLIPPAGE_BPS);
        uint256 opp = isBuy ? s.bestAsk : s.bestBid;
        if (opp == 0) revert NoLiquidity(isBuy);
        uint256 limitTick;
        {
            uint256 ts = s.params.tickSize;
            _checkSize(s, amount, opp * ts, s.lotSize);
            limitTick = isBuy
                ? (opp * ts * (BPS + slippageBps)) / BPS / ts
                : ((opp * ts * (BPS - slippageBps)) / BPS + ts - 1) / ts;
        }
        uint40 seq = s.nextOrderId;
        s.nextOrderId = seq + 1; // checked: never wraps to a reused id
        // A market order never rests: its id is its sequence number with an empty handle.
        uint256 id = S.orderId(seq, 0);
        uint256 remaining = reduceOnly ? _reducible(s, amount, isBuy, s.lotSize) : amount;
        (uint256 filled, ) = LibMatch.matchTaker(s, LibMatch.Taker(msg.sender, isBuy, id, limitTick, remaining));
        if (filled != 0) LibMark.pushAfterTrade(s, LibMark.refresh(s));
        if (remaining != filled) emit TakerRemainderDropped(id, msg.sender, remaining - filled);
        LibLock.exit();
        return filled;
    }

    function _checkSize(S.Layout storage s, uint256 amount, uint256 price, uint256 lot) private view {
        if (amount == 0 || amount % lot != 0) revert InvalidAmount(amount, lot);
        uint256 max = S.MAX_LOTS * lot;
        if (max > type(uint96).max) max = type(uint96).max;
        if (amount > max) revert AmountTooLarge(amount, max);
        uint256 notional = (amount * price) / ONE;
        uint256 minNotional = s.params.minNotional;
        if (notional < minNotional) revert NotionalTooSmall(notional, minNotional);
    }

    /// @dev Reduce-only: the part of `amount` that shrinks the caller's position (whole lots);
    /// reverts when none.
    function _reducible(S.Layout storage s, uint256 amount, bool isBuy, uint256 lot) private view returns (uint256) {
        uint256 capped = LibMatch.capReduceOnly(s, msg.sender, isBuy, amount, lot);
        if (capped == 0) {
            revert ReduceOnlyWouldIncrease(
                msg.sender,
                ICoreVault(s.vault).getPosition(msg.sender, s.marketId).size,
                isBuy
            );
        }
        return capped;
    }

    /// @dev Cancel order `orderId`. The owner may always cancel (one user-book read proves
    /// ownership; the slot's mask bit is cleared in the same slot). Anyone else only when
    /// `foreign` and the vault no longer trades this market
    /// through this book (settling/settled, or reassigned): the order can never fill, so anyone
    /// may return its reservation to its owner.
    function _cancel(S.Layout storage s, uint256 orderId, bool foreign) private returns (uint8 flags) {
        LibMatch.Maker memory m;
        m.handle = uint40(orderId & S.HANDLE_MASK);
        m.o = s.orders[m.handle];
        uint256 seq = orderId >> S.HANDLE_BITS;
        if (seq == 0 || m.o.seq != seq) revert OrderNotFound(orderId);
        S.UserBook memory ub = s.userBooks[msg.sender];
        if (ub.traderId == m.handle >> 6) {
            // The owner's book was just read: free the slot in the same write.
            s.userBooks[msg.sender] = S.UserBook(ub.traderId, ub.mask & ~uint64(1 << (m.handle & 63)));
            m.trader = msg.sender;
        } else {
            m.trader = s.traders[m.handle >> 6];
            if (!foreign || !_bookRetired(s)) revert NotOrderOwner(orderId, msg.sender, m.trader);
        }
        m.id = orderId;
        (address vault, uint256 lot) = S.wiring(s);
        m.amount = uint256(m.o.lots) * lot;
        LibMatch.cancelResting(s, m, vault);
        return m.o.flags;
    }

    /// @dev Whether the vault has stopped trading this market through this book.
    function _bookRetired(S.Layout storage s) private view returns (bool) {
        ICoreVault.MarketInfo memory info = ICoreVault(s.vault).getMarketInfo(s.marketId);
        return info.status != 1 || info.orderBook != address(this);
    }
}
