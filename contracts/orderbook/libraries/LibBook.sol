// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {IOBErrors} from "../../interfaces/IOBErrors.sol";
import {TickBitmap} from "./TickBitmap.sol";

/// @title LibBook
/// @notice Resting-order bookkeeping: FIFO queue per price level, a doubly linked list per trader,
/// the tick bitmaps and the O(1) best bid/ask. Never walks the book.
library LibBook {
    using TickBitmap for S.Bitmap;

    uint256 internal constant MAX_TICK = 0xffffff;

    function toTick(S.Layout storage s, uint256 price) internal view returns (uint24) {
        uint256 ts = s.params.tickSize;
        if (price == 0 || price % ts != 0) revert IOBErrors.InvalidPrice(price, ts);
        uint256 tick = price / ts;
        if (tick > MAX_TICK) revert IOBErrors.PriceOutOfRange(price, MAX_TICK * ts);
        return uint24(tick);
    }

    function priceOf(S.Layout storage s, uint256 tick) internal view returns (uint256) {
        return tick * s.params.tickSize;
    }

    function levelOf(S.Layout storage s, bool isBuy, uint256 tick) internal view returns (S.Level storage) {
        return isBuy ? s.bidLevels[tick] : s.askLevels[tick];
    }

    /// @notice Append an order at the tail of its level and the head of the trader's list.
    function insert(S.Layout storage s, uint48 id, address trader, uint96 amount, uint24 tick, uint8 flags) internal {
        bool isBuy = flags & S.FLAG_BUY != 0;
        S.UserBook memory ub = s.userBooks[trader];
        uint256 maxOrders = s.maxOrdersPerUser;
        if (ub.count >= maxOrders) revert IOBErrors.TooManyOrders(trader, maxOrders);
        S.Level storage lv = levelOf(s, isBuy, tick);
        uint48 tail = lv.tail;
        s.orders[id] = S.Order(trader, amount, tick, tail, 0, 0, ub.head, flags);
        if (ub.head != 0) s.orders[ub.head].userPrev = id;
        // count < maxOrdersPerUser (uint32) was checked above.
        unchecked {
            s.userBooks[trader] = S.UserBook(id, ub.count + 1);
        }
        if (tail == 0) {
            if (isBuy) {
                s.bidLevels[tick] = S.Level(id, id, amount, 1);
                s.bidMap.set(tick);
                if (tick > s.bestBid) s.bestBid = tick;
            } else {
                s.askLevels[tick] = S.Level(id, id, amount, 1);
                s.askMap.set(tick);
                uint24 ba = s.bestAsk;
                if (ba == 0 || tick < ba) s.bestAsk = tick;
            }
        } else {
            s.orders[tail].next = id;
            S.Level memory lvl = lv;
            lvl.tail = id;
            lvl.total += amount;
            lvl.count += 1;
            if (isBuy) s.bidLevels[tick] = lvl;
            else s.askLevels[tick] = lvl;
        }
        unchecked {
            s.activeOrders += 1;
        }
    }

    /// @notice Remove order `id` (already loaded as `o`) from its level and its trader's list,
    /// delete it, and move the best price when its level empties.
    function remove(S.Layout storage s, uint48 id, S.Order memory o) internal {
        bool isBuy = o.flags & S.FLAG_BUY != 0;
        S.Level storage lv = levelOf(s, isBuy, o.tick);
        S.Level memory lvl = lv;
        if (lvl.count == 1) {
            _dropLevel(s, isBuy, o.tick);
        } else {
            if (o.prev != 0) s.orders[o.prev].next = o.next;
            else lvl.head = o.next;
            if (o.next != 0) s.orders[o.next].prev = o.prev;
            else lvl.tail = o.prev;
            lvl.total -= o.amount;
            lvl.count -= 1;
            if (isBuy) s.bidLevels[o.tick] = lvl;
            else s.askLevels[o.tick] = lvl;
        }
        unlinkUser(s, o);
        delete s.orders[id];
        unchecked {
            s.activeOrders -= 1;
        }
    }

    /// @notice Remove `o` from its trader's list.
    function unlinkUser(S.Layout storage s, S.Order memory o) internal {
        S.UserBook storage ub = s.userBooks[o.trader];
        if (o.userPrev != 0) s.orders[o.userPrev].userNext = o.userNext;
        else ub.head = o.userNext;
        if (o.userNext != 0) s.orders[o.userNext].userPrev = o.userPrev;
        ub.count -= 1;
    }

    /// @notice Delete an emptied level, clear its bit and move the best price past it if needed.
    function _dropLevel(S.Layout storage s, bool isBuy, uint24 tick) internal {
        if (isBuy) {
            delete s.bidLevels[tick];
            s.bidMap.clear(tick);
            if (s.bestBid == tick) s.bestBid = uint24(s.bidMap.nextBelow(tick));
        } else {
            delete s.askLevels[tick];
            s.askMap.clear(tick);
            if (s.bestAsk == tick) s.bestAsk = uint24(s.askMap.nextAbove(tick));
        }
    }
}
