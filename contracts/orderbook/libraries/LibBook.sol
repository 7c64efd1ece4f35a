// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {IOBErrors} from "../../interfaces/IOBErrors.sol";
import {TickBitmap} from "./TickBitmap.sol";

/// @title LibBook
/// @notice Resting-order bookkeeping: one-slot orders in per-trader slots, a FIFO queue per price
/// level, the tick bitmaps and the O(1) best bid/ask. Never walks the book.
/// @dev Queue links: every order but a level's head has `prev` = its predecessor; the head's
/// `prev` is stale (removing the head does not touch the next order, which saves a slot write on
/// every fill that exhausts a maker and on every cancel of a level's oldest order).
library LibBook {
    using TickBitmap for S.Bitmap;

    uint256 internal constant MAX_TICK = 0xffffff;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant ONE = 1e18;

    function toTick(S.Layout storage s, uint256 price) internal view returns (uint24) {
        uint256 ts = s.params.tickSize;
        if (price == 0 || price % ts != 0) revert IOBErrors.InvalidPrice(price, ts);
        uint256 tick = price / ts;
        if (tick > MAX_TICK) revert IOBErrors.PriceOutOfRange(price, MAX_TICK * ts);
        return uint24(tick);
    }

    function levelOf(S.Layout storage s, bool isBuy, uint256 tick) internal view returns (S.Level storage) {
        return isBuy ? s.bidLevels[tick] : s.askLevels[tick];
    }

    /// @notice Margin a resting order of `amount` at `price` holds: notional * marginBps, rounded
    /// up so a resting order is never under-margined.
    function reservation(uint256 amount, uint256 price, uint256 marginBps) internal pure returns (uint256) {
        return (((amount * price) / ONE) * marginBps + BPS - 1) / BPS;
    }

    /// @notice The lowest free slot of `trader`'s book `ub`, 64 when all are taken. When the mask
    /// is full, first clears the bits of slots whose order has left the book (a scan of at most 64
    /// of the trader's own slots, paid by the trader, once per 64 slots freed by fills or cancels).
    function freeSlot(S.Layout storage s, address trader, S.UserBook memory ub) internal returns (uint256) {
        if (ub.mask == type(uint64).max) {
            uint256 base = uint256(ub.traderId) << 6;
            uint64 mask = ub.mask;
            for (uint256 k; k < 64; ++k) {
                if (s.orders[base | k].seq == 0) mask &= ~uint64(1 << k);
            }
            if (mask == ub.mask) return 64;
            ub.mask = mask;
            s.userBooks[trader] = ub;
        }
        uint256 m = ub.mask;
        // (m + 1) & ~m isolates the lowest zero bit.
        return TickBitmap.msb((m + 1) & ~m);
    }

    /// @notice Write order `o` into slot `handle` (owned by `trader`, whose book is `ub`) at the
    /// tail of its level, and mark the slot used. `amount` = o.lots * lotSize.
    function insert(
        S.Layout storage s,
        address trader,
        S.UserBook memory ub,
        uint40 handle,
        S.Order memory o,
        uint256 amount
    ) internal {
        bool isBuy = o.flags & S.FLAG_BUY != 0;
        uint24 tick = o.tick;
        S.Level memory lvl = levelOf(s, isBuy, tick);
        o.prev = lvl.tail;
        o.next = 0;
        s.orders[handle] = o;
        s.userBooks[trader] = S.UserBook(ub.traderId, ub.mask | uint64(1 << (handle & 63)));
        if (lvl.tail == 0) {
            if (isBuy) {
                s.bidLevels[tick] = S.Level(handle, handle, uint128(amount), 1);
                s.bidMap.set(tick);
                if (tick > s.bestBid) s.bestBid = tick;
            } else {
                s.askLevels[tick] = S.Level(handle, handle, uint128(amount), 1);
                s.askMap.set(tick);
                uint24 ba = s.bestAsk;
                if (ba == 0 || tick < ba) s.bestAsk = tick;
            }
        } else {
            s.orders[lvl.tail].next = handle;
            lvl.tail = handle;
            lvl.total += uint128(amount);
            lvl.count += 1;
            if (isBuy) s.bidLevels[tick] = lvl;
            else s.askLevels[tick] = lvl;
        }
    }

    /// @notice Take order `handle` (loaded as `o`, `amount` remaining) off its level and delete it;
    /// move the best price when its level empties. The owner's mask bit stays set (see
    /// OrderBookStorage): the zeroed slot is what makes the order gone.
    /// `resting`: the order is taken off for another reason than being matched (a cancel), so its
    /// level is rarely the best one: the bitmap words already read usually prove that without
    /// reading the book header.
    function remove(S.Layout storage s, uint40 handle, S.Order memory o, uint256 amount, bool resting) internal {
        bool isBuy = o.flags & S.FLAG_BUY != 0;
        S.Level memory lvl = levelOf(s, isBuy, o.tick);
        if (lvl.count == 1) {
            _dropLevel(s, isBuy, o.tick, resting);
        } else {
            if (lvl.head == handle) {
                // The new head keeps a stale `prev`: a head's `prev` is never read.
                lvl.head = o.next;
            } else {
                s.orders[o.prev].next = o.next;
                if (o.next != 0) s.orders[o.next].prev = o.prev;
                else lvl.tail = o.prev;
            }
            lvl.total -= uint128(amount);
            lvl.count -= 1;
            if (isBuy) s.bidLevels[o.tick] = lvl;
            else s.askLevels[o.tick] = lvl;
        }
        delete s.orders[handle];
    }

    /// @notice Delete an emptied level, clear its bit and move the best price past it if needed.
    /// `probablyNotBest` (a cancel): a better set tick proven from the cleared bitmap words means
    /// the best price stays, and the book header is not read.
    function _dropLevel(S.Layout storage s, bool isBuy, uint24 tick, bool probablyNotBest) internal {
        if (isBuy) {
            delete s.bidLevels[tick];
            if (!probablyNotBest) s.bidMap.clear(tick);
            else if (s.bidMap.clearProving(tick, true)) return; // a higher bid exists
            if (s.bestBid == tick) s.bestBid = uint24(s.bidMap.nextBelow(tick));
        } else {
            delete s.askLevels[tick];
            if (!probablyNotBest) s.askMap.clear(tick);
            else if (s.askMap.clearProving(tick, false)) return; // a lower ask exists
            if (s.bestAsk == tick) s.bestAsk = uint24(s.askMap.nextAbove(tick));
        }
    }

    /// @notice The live order named by public id `orderId` and its owner; reverts `OrderNotFound`
    /// for an id that never existed, left the book, or whose slot now holds a newer order.
    /// `caller`: when the id lies in `caller`'s slots, the owner is known without a trader lookup.
    function find(
        S.Layout storage s,
        uint256 orderId,
        address caller
    ) internal view returns (uint40 handle, S.Order memory o, address trader) {
        handle = uint40(orderId & S.HANDLE_MASK);
        o = s.orders[handle];
        uint256 seq = orderId >> S.HANDLE_BITS;
        if (seq == 0 || o.seq != seq) revert IOBErrors.OrderNotFound(orderId);
        uint256 tid = handle >> 6;
        trader = s.userBooks[caller].traderId == tid ? caller : s.traders[tid];
    }
}
