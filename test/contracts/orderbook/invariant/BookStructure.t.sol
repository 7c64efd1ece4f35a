// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {OrderBookStorage as S} from "../../../../contracts/orderbook/storage/OrderBookStorage.sol";
import {LibBook} from "../../../../contracts/orderbook/libraries/LibBook.sol";

/// @notice Drives LibBook directly (no vault): random inserts and removals on both sides.
contract BookHandler {
    uint256 internal constant BID_TOPS = 100; // bids on ticks 1..100, asks on 101..200: never crossed
    uint48[] public live;
    uint48 internal nextId = 1;

    constructor() {
        S.Layout storage s = S.load();
        s.params.tickSize = 1;
        s.maxOrdersPerUser = 64;
    }

    function place(uint256 seed) external {
        S.Layout storage s = S.load();
        address trader = address(uint160(1 + (seed % 4)));
        if (s.userBooks[trader].count >= 64) return;
        bool isBuy = (seed >> 8) & 1 == 1;
        uint24 tick = uint24(isBuy ? 1 + ((seed >> 16) % BID_TOPS) : 101 + ((seed >> 16) % BID_TOPS));
        uint96 amount = uint96(1 + ((seed >> 32) % 1_000));
        uint48 id = nextId++;
        LibBook.insert(s, id, trader, amount, tick, isBuy ? S.FLAG_BUY : 0);
        live.push(id);
    }

    function cancel(uint256 seed) external {
        uint256 n = live.length;
        if (n == 0) return;
        uint256 k = seed % n;
        uint48 id = live[k];
        live[k] = live[n - 1];
        live.pop();
        S.Layout storage s = S.load();
        LibBook.remove(s, id, s.orders[id]);
    }

    function liveCount() external view returns (uint256) {
        return live.length;
    }

    // ---- views for the invariants
    function bests() external view returns (uint256, uint256, uint256) {
        S.Layout storage s = S.load();
        return (s.bestBid, s.bestAsk, s.activeOrders);
    }

    /// @return ok whether queue links, totals and counts agree for `tick` on side `isBuy`.
    function levelConsistent(bool isBuy, uint256 tick) external view returns (bool ok, bool nonEmpty) {
        S.Layout storage s = S.load();
        S.Level memory l = LibBook.levelOf(s, isBuy, tick);
        uint256 total;
        uint256 count;
        uint48 prev;
        for (uint48 id = l.head; id != 0; id = s.orders[id].next) {
            S.Order memory o = s.orders[id];
            if (o.prev != prev || o.tick != tick || (o.flags & S.FLAG_BUY != 0) != isBuy) return (false, true);
            total += o.amount;
            ++count;
            prev = id;
        }
        ok = prev == l.tail && total == l.total && count == l.count;
        nonEmpty = l.count != 0;
    }

    function userCount(address trader) external view returns (uint256 walked, uint256 stored) {
        S.Layout storage s = S.load();
        S.UserBook memory ub = s.userBooks[trader];
        uint48 prev;
        for (uint48 id = ub.head; id != 0; id = s.orders[id].userNext) {
            if (s.orders[id].userPrev != prev || s.orders[id].trader != trader) return (type(uint256).max, ub.count);
            ++walked;
            prev = id;
        }
        stored = ub.count;
    }
}

contract BookStructureInvariantTest is TestBase {
    BookHandler internal h;

    function setUp() public {
        h = new BookHandler();
        for (uint256 i; i < 20; ++i) h.place(uint256(keccak256(abi.encode(i))));
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
        (uint256 bid, uint256 ask, ) = h.bests();
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
        (, , uint256 active) = h.bests();
        uint256 sum;
        for (uint160 t = 1; t <= 4; ++t) {
            (uint256 walked, uint256 stored) = h.userCount(address(t));
            assertEq(walked, stored, "user list");
            sum += stored;
        }
        assertEq(sum, active, "active orders");
        assertEq(active, h.liveCount(), "live");
    }
}
