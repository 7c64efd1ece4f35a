// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OBTestBase} from "./utils/OBTestBase.sol";
import {IOBErrors} from "../../../contracts/interfaces/IOBErrors.sol";
import {IOBViews} from "../../../contracts/interfaces/IOBViews.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {OrderBookStorage as S} from "../../../contracts/orderbook/storage/OrderBookStorage.sol";

/// @notice One-slot orders in per-trader slots, book-side reservations, stale ids, slot reuse.
contract OrderSlotsTest is OBTestBase {
    /// @dev Partial fills release reserve(before) - reserve(after); the last release empties the
    /// order's reservation, so what the vault holds always equals what the book says the order holds.
    function testFuzz_reservation_telescopesUnderPartialFills(uint256 seed) public {
        uint256 lots = 1 + (seed % 5_000); // up to 5 units in 0.001 lots
        uint256 price = (1_000 + ((seed >> 16) % 200)) * P + ((seed >> 32) % 100) * 10_000; // 1 lot >= min notional
        uint256 id = limit(alice, price, lots * 1e15, false);
        uint256 reserved = obv.getOrderReservation(id);
        assertEq(reserved, (((lots * 1e15 * price) / 1e18) * 1_000 + 9_999) / 10_000, "placement reserve");
        assertEq(vault.getReservedMargin(alice), reserved, "vault = book");
        uint256 left = lots;
        for (uint256 i; left != 0; ++i) {
            uint256 take = 1 + (uint256(keccak256(abi.encode(seed, i))) % left);
            if (i > 40) take = left;
            market(bob, take * 1e15, true);
            left -= take;
            if (left != 0) {
                uint256 r = obv.getOrderReservation(id);
                assertLe(r, reserved, "never grows");
                reserved = r;
                assertEq(obv.getOrder(id).amount, left * 1e15, "remaining");
                assertEq(vault.getReservedMargin(alice), r, "vault = book after a partial fill");
            }
        }
        assertEq(vault.getReservedMargin(alice), 0, "all released on the last fill");
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, id));
        obv.getOrderReservation(id);
    }

    function test_staleIds_refusedAfterSlotReuse() public {
        uint256 id1 = limit(alice, 1_000 * P, 1 * U, true);
        vm.prank(alice);
        ob.cancelOrder(id1);
        uint256 id2 = limit(alice, 999 * P, 2 * U, true);
        assertEq(id2 & S.HANDLE_MASK, id1 & S.HANDLE_MASK, "same slot reused");
        assertTrue(id2 != id1, "new id");
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, id1));
        obv.getOrder(id1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, id1));
        ob.cancelOrder(id1);
        IOBViews.OrderView memory o = obv.getOrder(id2);
        assertEq(o.price, 999 * P, "live order intact");
        assertEq(o.amount, 2 * U, "amount");
        // Filled away: refused as well. A fill leaves the slot's mask bit set (reclaimed when all
        // 64 are set), so the next order takes the next free slot.
        market(bob, 2 * U, false);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, id2));
        obv.getOrder(id2);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, id2));
        ob.cancelOrder(id2);
        uint256 id3 = limit(alice, 998 * P, 1 * U, true);
        assertEq(id3 & S.HANDLE_MASK, (id1 & S.HANDLE_MASK) + 1, "next slot after a fill");
        uint256[] memory ids = obv.getUserOrders(alice);
        assertEq(ids.length, 1, "one live order");
        assertEq(ids[0], id3, "the new one");
        // Ids of another trader's slots, unknown slots and id 0 are refused.
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, id3 + 1));
        obv.getOrder(id3 + 1);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, 0));
        obv.getOrder(0);
    }

    function test_slots_64PerTraderAndReclaimedAfterFills() public {
        uint256[] memory ids = new uint256[](64);
        for (uint256 i; i < 64; ++i) ids[i] = limit(alice, (1_100 + i) * P, 1e16, false);
        assertEq(obv.getUserOrders(alice).length, 64, "64 rest");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.TooManyOrders.selector, alice, 64));
        ob.placeMarginLimitOrder(2_000 * P, 1e16, false);
        // A crossing order that does not rest is still fine at 64.
        limit(bob, 1_050 * P, 1e16, true);
        limit(alice, 1_050 * P, 1e16, false);
        assertEq(pos(alice), -1e16, "filled without resting");
        // Fills free three slots; the next placement reclaims them.
        market(bob, 3e16, true);
        assertEq(obv.getUserOrders(alice).length, 61, "61 live");
        uint256 n1 = limit(alice, 2_000 * P, 1e16, false);
        uint256 n2 = limit(alice, 2_001 * P, 1e16, false);
        uint256 n3 = limit(alice, 2_002 * P, 1e16, false);
        assertEq(obv.getUserOrders(alice).length, 64, "full again");
        assertEq(obv.getOrder(n1).price, 2_000 * P, "n1");
        assertEq(obv.getOrder(n2).price, 2_001 * P, "n2");
        assertEq(obv.getOrder(n3).price, 2_002 * P, "n3");
        for (uint256 i = 3; i < 64; ++i) assertEq(obv.getOrder(ids[i]).price, (1_100 + i) * P, "older orders intact");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.TooManyOrders.selector, alice, 64));
        ob.placeMarginLimitOrder(2_003 * P, 1e16, false);
        vm.prank(alice);
        assertEq(ob.cancelAllOrders(), 64, "cancel all");
        assertEq(vault.getReservedMargin(alice), 0, "all released");
        assertEq(obv.getActiveOrdersCount(), 0, "empty");
    }

    function test_RevertWhen_reservationExceedsOrderSlot() public {
        fund(alice, 1e17); // plenty: the slot bound is hit first
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.ReservationTooLarge.selector, 1e17, S.MAX_RESERVE));
        ob.placeMarginLimitOrder(1_000 * P, 1e9 * U, true);
    }

    /// @dev Once the vault stops trading the market, anyone may cancel a resting order to return
    /// its reservation to its owner; before that only the owner may.
    function test_foreignCancel_onlyOnceTheMarketIsSettled() public {
        uint256 id = limit(alice, 1_000 * P, 1 * U, true);
        limit(bob, 1_001 * P, 1 * U, false);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NotOrderOwner.selector, id, bob, alice));
        ob.cancelOrder(id);
        (bool ok, ) = address(vault).call(
            abi.encodeWithSignature("grantRole(bytes32,address)", keccak256("SETTLEMENT_ROLE"), address(this))
        );
        assertTrue(ok, "grant");
        vault.settleMarket(MARKET, 1_000 * P);
        vm.prank(carol);
        ob.cancelOrder(id);
        assertEq(vault.getReservedMargin(alice), 0, "alice's reservation returned");
        assertEq(vault.getReservedMargin(bob), 100_100_000, "bob's untouched until cancelled");
        vm.prank(bob);
        ob.cancelAllOrders();
        assertEq(vault.getReservedMargin(bob), 0, "bob's returned");
    }
}
