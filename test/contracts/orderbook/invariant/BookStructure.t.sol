// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {OrderBookStorage as S} from "../../../../contracts/orderbook/storage/OrderBookStorage.sol";
import {LibBook} from "../../../../contracts/orderbook/libraries/LibBook.sol";

/// @notice Drives LibBook directly (no vault): random inserts and removals on both sides, four
/// traders sharing the slot scheme of the trading facet (trader id, lowest free slot, recycled).
contract BookHandler {
    uint256 internal constant BID_TOPS = 100; // bids on ticks 1..100, asks on 101..200: never crossed
    uint256[] public live; // public ids
    uint256[] public dead; // ids that left the book
    uint40 internal nextSeq = 1;
    mapping(address => uint256) public liveOf;

    constructor() {
        S.Layout storage s = S.load();
        s.params.tickSize = 1;
        s.lotSize = 1;
        for (uint256 t = 1; t <= 4; ++t) {
            s.traders[t] = address(uint160(t));
            s.userBooks[address(uint160(t))].traderId = uint32(t);
        }
    }

    function place(uint256 seed) external {
        S.Layout storage s = S.load();
        address trader = address(uint160(1 + (seed % 4)));
        S.UserBook memory ub = s.userBooks[trader];
        uint256 k = LibBook.freeSlot(s, trader, ub);
        if (k == 64) return;
        bool isBuy = (seed >> 8) & 1 == 1;
        uint24 tick = uint24(isBuy ? 1 + ((seed >> 16) % BID_TOPS) : 101 + ((seed >> 16) % BID_TOPS));
        uint48 lots = uint48(1 + ((seed >> 32) % 1_000));
        uint40 handle = uint40((uint256(ub.traderId) << 6) | k);
        uint40 seq = nextSeq++;
        LibBook.insert(s, trader, ub, handle, S.Order(seq, lots, tick, 0, 0, 0, isBuy ? S.FLAG_BUY : 0), lots);
        live.push(S.orderId(seq, handle));
        ++liveOf[trader];
    }

    function cancel(uint256 seed) external {
        uint256 n = live.length;
        if (n == 0) return;
        uint256 k = seed % n;
        uint256 id = live[k];
        live[k] = live[n - 1];
        live.pop();
        dead.push(id);
        S.Layout storage s = S.load();
        (uint40 h, S.Order memory o, address trader) = LibBook.find(s, id, address(0));
        LibBook.remove(s, h, o, o.lots, (seed >> 128) & 1 == 0); // both paths: matched and cancelled
        --liveOf[trader];
    }

    /// @return vault, lot read through the one-SLOAD `wiring` helper and through the fields
    function wiringBoth() external returns (address, uint256, address, uint256) {
        S.Layout storage s = S.load();
        s.vault = address(0xBEEF);
        (address v, uint256 lot) = S.wiring(s);
        return (v, lot, s.vault, s.lotSize);
    }

    function liveCount() external view returns (uint256) {
        return live.length;
    }

    function deadCount() external view returns (uint256) {
        return dead.length;
    }

    /// @return whether id `dead[i]` is refused by `find` (its slot freed or reused by a newer order).
    function deadRefused(uint256 i) external view returns (bool) {
        try this.findExternal(dead[i]) {
            return false;
        } catch {
            return true;
        }
    }

    function findExternal(uint256 id) external view returns (uint256 lots, uint256 tick, address trader) {
        (, S.Order memory o, address t) = LibBook.find(S.load(), id, address(0));
        return (o.lots, o.tick, t);
    }

    // ---- views for the invariants
    function bests() external view returns (uint256, uint256) {
        S.Layout storage s = S.load();
        return (s.bestBid, s.bestAsk);
    }

    function levelCountSum() external view returns (uint256 n) {
        S.Layout storage s = S.load();
        for (uint256 tick = 1; tick <= 200; ++tick) n += s.bidLevels[tick].count + s.askLevels[tick].count;
    }

    /// @return ok whether queue links, totals and counts agree for `tick` on side `isBuy`.
    function levelConsistent(bool isBuy, uint256 tick) external view returns (bool ok, bool nonEmpty) {
        S.Layout storage s = S.load();
        S.Level memory l = LibBook.levelOf(s, isBuy, tick);
        uint256 total;
        uint256 count;
        uint40 prev;
        for (uint40 h = l.head; h != 0; h = s.orders[h].next) {
            S.Order memory o = s.orders[h];
            S.UserBook memory ub = s.userBooks[address(uint160(h >> 6))];
            bool slotLive = (ub.mask >> (h & 63)) & 1 == 1 && o.seq != 0;
            // A head's `prev` is stale by design; every other order links its predecessor.
            if (!slotLive || (prev != 0 && o.prev != prev) || o.tick != tick || (o.flags & S.FLAG_BUY != 0) != isBuy) {
                return (false, true);
            }
            total += o.lots;
            ++count;
            prev = h;
        }
        ok = prev == l.tail && total == l.total && count == l.count;
        nonEmpty = l.count != 0;
    }

    /// @return walked live orders among the trader's used slots
    /// @return stored the handler's count of the trader's live orders
    function userCount(address trader) external view returns (uint256 walked, uint256 stored) {
        S.Layout storage s = S.load();
        S.UserBook memory ub = s.userBooks[trader];
        for (uint256 k; k < 64; ++k) {
            S.Order memory o = s.orders[(uint256(ub.traderId) << 6) | k];
            if (o.seq == 0) continue;
            if ((ub.mask >> k) & 1 == 0) return (type(uint256).max, 0); // a live order in a "free" slot
            ++walked;
        }
        stored = liveOf[trader];
    }
}

contract BookStructureInvariantTest is TestBase {
    BookHandler internal h;

    function setUp() public {
        h = new BookHandler();
        for (uint256 i; i < 20; ++i) h.place(uint256(keccak256(abi.encode(i))));
    }

    function test_wiring_readsVaultAndLotFromTheirFields() public {
        (address v, uint256 lot, address fv, uint256 flot) = h.wiringBoth();
        assertEq(v, fv, "vault");
        assertEq(lot, flot, "lot");
        assertEq(lot, 1, "lot value");
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(h);
    }

    function invariant_levelTotalsEqualSumOfOrders() public view {
        for (uint256 tick = 1; tick <= 200; ++tick) {
            (bool okB, ) = h.levelConsistent(true, tick);
            (bool okA, ) = h.levelConsistent(false, tick);
            assertTrue(okB && okA, "level");
        }
    }

    function invariant_bestPricesAreExtremesAndNeverCrossed() public view {
        (uint256 bid, uint256 ask) = h.bests();
        uint256 expBid;
        uint256 expAsk;
        for (uint256 tick = 1; tick <= 200; ++tick) {
            (, bool b) = h.levelConsistent(true, tick);
            (, bool a) = h.levelConsistent(false, tick);
            if (b) expBid = tick;
            if (a && expAsk == 0) expAsk = tick;
        }
        assertEq(bid, expBid, "best bid");
        assertEq(ask, expAsk, "best ask");
        if (bid != 0 && ask != 0) assertTrue(bid < ask, "crossed");
    }

    function invariant_userListsMatchActiveOrders() public view {
        uint256 active = h.levelCountSum();
        uint256 sum;
        for (uint160 t = 1; t <= 4; ++t) {
            (uint256 walked, uint256 stored) = h.userCount(address(t));
            assertEq(walked, stored, "user list");
            sum += stored;
        }
        assertEq(sum, active, "active orders");
        assertEq(active, h.liveCount(), "live");
    }

    /// @dev Every live id still finds its own order (no recycled slot was handed out twice) and
    /// every id that left the book is refused, even after its slot was reused.
    function invariant_liveIdsResolveAndStaleIdsAreRefused() public view {
        for (uint256 i; i < h.liveCount(); ++i) {
            (uint256 lots, , ) = h.findExternal(h.live(i));
            assertTrue(lots != 0, "live order");
        }
        uint256 n = h.deadCount();
        for (uint256 i = n > 50 ? n - 50 : 0; i < n; ++i) assertTrue(h.deadRefused(i), "stale id refused");
    }
}
