// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract CoreVaultPositionsTest is VaultTestBase {
    function setUp() public override {
        super.setUp();
        fund(alice, 10_000 * USDC);
        fund(bob, 10_000 * USDC);
    }

    function test_updatePositionWithMargin_opensAndLocksInitialMargin() public {
        trade(alice, ETH, int256(ONE / 2), P2000);
        ICoreVault.Position memory p = vault.getPosition(alice, ETH);
        assertEq(p.size, int256(ONE / 2), "size");
        assertEq(p.entryPrice, P2000, "entry");
        // IM = 0.5 * 2000 * 10 % = 100 USDC
        assertEq(p.marginLocked, 100 * USDC, "position margin");
        assertEq(vault.getLockedMargin(alice), 100 * USDC, "account locked");
        assertEq(vault.getAvailableCollateral(alice), 9_900 * USDC, "free");
        assertTrue(vault.userInMarket(alice, ETH), "indexed");
        assertEq(vault.getUsersWithPositionsInMarketCount(ETH), 1, "count");
    }

    function test_updatePositionWithMargin_weightedEntryExactForFractions() public {
        trade(alice, ETH, int256(ONE / 10), 2000_500000); // 0.1 @ 2000.5
        trade(alice, ETH, int256(ONE / 5), 1999_900000); // 0.2 @ 1999.9
        // (0.1 * 2000.5 + 0.2 * 1999.9) / 0.3 = 2000.1 exactly
        assertEq(vault.getEntryPriceX18(alice, ETH), 2000_100000 * 1e12, "entry x18");
        assertEq(vault.getPosition(alice, ETH).entryPrice, 2000_100000, "entry");
    }

    function test_updatePositionWithMargin_reduceRealizesPnlAndReleasesProRata() public {
        trade(alice, ETH, int256(ONE), P2000);
        int256 pnl = trade(alice, ETH, -int256((ONE * 4) / 10), 2100e6);
        assertEq(pnl, int256(40 * USDC), "0.4 * 100");
        assertEq(vault.balanceOf(alice), 10_040 * USDC, "balance");
        assertEq(vault.getPosition(alice, ETH).marginLocked, 120 * USDC, "60 % of 200 kept");
        assertEq(vault.getLockedMargin(alice), 120 * USDC, "account locked");
        assertEq(vault.getPosition(alice, ETH).entryPrice, P2000, "entry unchanged");
    }

    function test_updatePositionWithMargin_closeRemovesFromIndex() public {
        trade(alice, ETH, int256(ONE), P2000);
        trade(bob, ETH, -int256(ONE), P2000);
        int256 pnl = trade(alice, ETH, -int256(ONE), 1900e6);
        assertEq(pnl, -int256(100 * USDC), "loss");
        assertEq(vault.balanceOf(alice), 9_900 * USDC, "balance");
        assertEq(vault.getLockedMargin(alice), 0, "released");
        assertFalse(vault.userInMarket(alice, ETH), "unindexed");
        assertEq(vault.getUsersWithPositionsInMarketCount(ETH), 1, "one left");
        assertEq(vault.getUsersWithPositionsInMarketPage(ETH, 0, 10)[0], bob, "bob swapped in");
        assertEq(vault.getUserMarkets(alice).length, 0, "account market list");
    }

    function test_updatePositionWithMargin_flipInOneUpdate() public {
        trade(alice, ETH, int256(ONE), P2000);
        int256 pnl = trade(alice, ETH, -3 * int256(ONE), 2100e6);
        assertEq(pnl, int256(100 * USDC), "closed long at +100");
        ICoreVault.Position memory p = vault.getPosition(alice, ETH);
        assertEq(p.size, -2 * int256(ONE), "short 2");
        assertEq(p.entryPrice, 2100e6, "entry at trade price");
        assertEq(p.marginLocked, 420 * USDC, "2 * 2100 * 10 %");
        assertEq(vault.getLockedMargin(alice), 420 * USDC, "account locked");
        assertTrue(vault.userInMarket(alice, ETH), "still indexed");
        assertEq(vault.getUsersWithPositionsInMarketCount(ETH), 1, "no duplicate");
    }

    function test_updatePositionWithMargin_shortProfit() public {
        trade(alice, ETH, -2 * int256(ONE), P2000);
        int256 pnl = trade(alice, ETH, 2 * int256(ONE), 1800e6);
        assertEq(pnl, int256(400 * USDC), "2 * 200");
        assertEq(vault.balanceOf(alice), 10_400 * USDC, "balance");
    }

    function test_updatePositionWithMargin_roundingFavoursVault() public {
        trade(alice, ETH, 1, P2000); // 1e-18 ETH
        trade(alice, ETH, -1, P2000 - 1);
        assertEq(vault.balanceOf(alice), 10_000 * USDC - 1, "dust loss rounds up");
        trade(alice, ETH, 1, P2000);
        trade(alice, ETH, -1, P2000 + 1_000_000);
        assertEq(vault.balanceOf(alice), 10_000 * USDC - 1, "dust gain rounds down");
    }

    function test_RevertWhen_initialMarginShort() public {
        // 51 ETH @ 2000 needs 10,200 USDC of initial margin; alice has 10,000.
        vm.prank(ob);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientMargin.selector, alice, ETH, 10_200 * USDC, 10_000 * USDC)
        );
        vault.updatePositionWithMargin(alice, ETH, 51 * int256(ONE), P2000, 0);
    }

    function test_RevertWhen_normalCloseLossBeyondBalance() public {
        trade(alice, ETH, 40 * int256(ONE), P2000);
        // closing at 1700 loses 12,000 > 10,000: only a liquidation may do that
        vm.prank(ob);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientMargin.selector, alice, ETH, 12_000 * USDC, 10_000 * USDC)
        );
        vault.updatePositionWithMargin(alice, ETH, -40 * int256(ONE), 1700e6, 0);
    }

    function test_RevertWhen_callerNotMarketOrderBook() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotMarketOrderBook.selector, ETH, stranger, ob));
        vault.updatePositionWithMargin(alice, ETH, int256(ONE), P2000, 0);
    }

    function test_RevertWhen_orderBookLacksRole() public {
        cv.revokeRole(cv.ORDERBOOK_ROLE(), ob);
        bytes32 role = cv.ORDERBOOK_ROLE();
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ob, role));
        vault.updatePositionWithMargin(alice, ETH, int256(ONE), P2000, 0);
    }

    function test_RevertWhen_unknownMarket() public {
        bytes32 sol = keccak256("SOL");
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.UnknownMarket.selector, sol));
        vault.updatePositionWithMargin(alice, sol, int256(ONE), P2000, 0);
    }

    function test_RevertWhen_zeroSizeOrPrice() public {
        vm.prank(ob);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.updatePositionWithMargin(alice, ETH, 0, P2000, 0);
        vm.prank(ob);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.updatePositionWithMargin(alice, ETH, 1, 0, 0);
    }

    function test_RevertWhen_tooManyMarkets() public {
        for (uint256 i; i < 16; ++i) {
            bytes32 m = keccak256(abi.encode("M", i));
            vault.assignMarketToOrderBook(m, ob);
            trade(alice, m, int256(ONE / 100), 100e6);
        }
        bytes32 extra = keccak256("M17");
        vault.assignMarketToOrderBook(extra, ob);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.TooManyMarkets.selector, alice, 16));
        vault.updatePositionWithMargin(alice, extra, int256(ONE / 100), 100e6, 0);
        assertEq(vault.getUserPositions(alice).length, 16, "16 positions");
    }

    function test_fee_splitBetweenProtocolAndInsurance() public {
        vm.prank(ob);
        vault.updatePositionWithMargin(alice, ETH, int256(ONE), P2000, 10 * USDC);
        assertEq(vault.balanceOf(alice), 9_990 * USDC, "fee paid");
        assertEq(vault.feePool(ETH), 10 * USDC, "pooled");
        vm.prank(stranger);
        assertEq(vault.sweepFees(ETH), 10 * USDC, "swept");
        assertEq(vault.feePool(ETH), 0, "pool emptied");
        assertEq(vault.balanceOf(address(this)), 5 * USDC, "protocol half");
        assertEq(vault.insuranceFund(ETH), 5 * USDC, "insurance half");
    }

    // ------------------------------------------------------------------ settleFill

    function test_settleFill_appliesBothSidesAndReleasesMakerShare() public {
        vm.prank(ob);
        vault.reserveMargin(bob, ETH, 300 * USDC); // maker order of 1.5 ETH
        assertEq(vault.getReservedMargin(bob), 300 * USDC, "reserved");
        vm.prank(ob);
        vault.settleFill(ICoreVault.Fill(ETH, bob, alice, true, ONE / 2, P2000, 100 * USDC, 1 * USDC, 2 * USDC));
        assertEq(sizeOf(alice, ETH), int256(ONE / 2), "taker long");
        assertEq(sizeOf(bob, ETH), -int256(ONE / 2), "maker short");
        assertEq(vault.getReservedMargin(bob), 200 * USDC, "the book's share released");
        assertEq(vault.balanceOf(bob), 9_999 * USDC, "maker fee");
        assertEq(vault.balanceOf(alice), 9_998 * USDC, "taker fee");
        assertEq(vault.feePool(ETH), 3 * USDC, "both fees pooled");

        vm.prank(ob);
        vault.settleFill(ICoreVault.Fill(ETH, bob, alice, true, ONE, P2000, 200 * USDC, 0, 0));
        assertEq(vault.getReservedMargin(bob), 0, "account reserved");
        assertEq(vault.getLockedMargin(bob), 300 * USDC, "maker locked 1.5 * 2000 * 10 %");
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.ReleaseExceedsReserved.selector, bob, 1, 0));
        vault.settleFill(ICoreVault.Fill(ETH, bob, alice, true, ONE, P2000, 1, 0, 0));
    }

    function test_RevertWhen_settleFillTakerShortOfMargin() public {
        fund(carol, 100 * USDC);
        vm.prank(ob);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientMargin.selector, carol, ETH, 200 * USDC, 100 * USDC)
        );
        vault.settleFill(ICoreVault.Fill(ETH, bob, carol, true, ONE, P2000, 0, 0, 0));
    }

    function test_RevertWhen_settleFillNotOrderBook() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotMarketOrderBook.selector, ETH, alice, ob));
        vault.settleFill(ICoreVault.Fill(ETH, bob, alice, true, ONE, P2000, 0, 0, 0));
    }

    // ------------------------------------------------------------------ reservations

    function test_reserveMargin_andReleasePartially() public {
        vm.prank(ob);
        vault.reserveMargin(alice, ETH, 500 * USDC);
        vm.prank(ob);
        vault.reserveMargin(alice, ETH, 100 * USDC);
        assertEq(vault.getReservedMargin(alice), 600 * USDC, "per-account total");
        vm.prank(ob);
        vault.releaseMargin(alice, 200 * USDC);
        assertEq(vault.getReservedMargin(alice), 400 * USDC, "left");
        assertEq(vault.getAvailableCollateral(alice), 9_600 * USDC, "free");
        vm.prank(ob);
        vault.releaseMargin(alice, 400 * USDC);
        assertEq(vault.getReservedMargin(alice), 0, "rest");
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.ReleaseExceedsReserved.selector, alice, 1, 0));
        vault.releaseMargin(alice, 1);
    }

    function test_RevertWhen_reserveBeyondFree() public {
        vm.prank(ob);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, alice, 10_001 * USDC, 10_000 * USDC)
        );
        vault.reserveMargin(alice, ETH, 10_001 * USDC);
    }

    // ------------------------------------------------------------------ marks and top-up

    function test_updateMarkPrice_boundedAgainstPrevious() public {
        setMark(ETH, 2200e6); // +10 %
        assertEq(vault.getMarkPrice(ETH), 2200e6, "mark");
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.MarkMoveTooLarge.selector, ETH, 2200e6, 2421e6, uint256(1000))
        );
        vault.updateMarkPrice(ETH, 2421e6);
    }

    function test_RevertWhen_markUpdaterUnauthorized() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotMarkUpdater.selector, ETH, stranger));
        vault.updateMarkPrice(ETH, P2000);
    }

    function test_topUpPositionMargin_locksFreeCollateral() public {
        trade(alice, ETH, int256(ONE), P2000);
        vm.prank(alice);
        vault.topUpPositionMargin(ETH, 50 * USDC);
        assertEq(vault.getPosition(alice, ETH).marginLocked, 250 * USDC, "position");
        assertEq(vault.getAvailableCollateral(alice), 9_750 * USDC, "free");
        trade(alice, ETH, -int256(ONE), P2000);
        assertEq(vault.getLockedMargin(alice), 0, "all released on close");
    }

    function test_RevertWhen_topUpWithoutPosition() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NoPosition.selector, alice, ETH));
        vault.topUpPositionMargin(ETH, 1);
    }

    // ------------------------------------------------------------------ index pages

    function test_pages_capAndOffsetPastEnd() public {
        for (uint256 i; i < 120; ++i) {
            address u = address(uint160(0x1000 + i));
            fund(u, 100 * USDC);
            trade(u, ETH, int256(ONE / 100), P2000);
        }
        assertEq(vault.getUsersWithPositionsInMarketCount(ETH), 120, "count");
        assertEq(vault.getUsersWithPositionsInMarketPage(ETH, 0, 500).length, 100, "capped at 100");
        assertEq(vault.getUsersWithPositionsInMarketPage(ETH, 110, 20).length, 10, "tail");
        assertEq(vault.getUsersWithPositionsInMarketPage(ETH, 120, 20).length, 0, "offset at end");
        assertEq(vault.getUsersWithPositionsInMarketPage(ETH, 1000, 20).length, 0, "offset past end");
        assertEq(vault.getKnownUsersPage(0, 1000).length, 100, "known capped");
    }

    function test_liquidationViews() public {
        trade(alice, ETH, 10 * int256(ONE), P2000);
        // long 10 @ 2000, balance 10,000, k = 10 % * 50 % = 5 %: p = (20,000 - 10,000) / (10 * 0.95)
        assertApproxEq(vault.getLiquidationPrice(alice, ETH), 1052_631578, 1, "liquidation price");
        // bankruptcy: (20,000 - 10,000) / 10 = 1,000
        assertEq(vault.getBankruptcyPrice(alice, ETH), 1000e6, "bankruptcy price");
        assertFalse(vault.isLiquidatable(alice, ETH, 1053e6), "above");
        assertTrue(vault.isLiquidatable(alice, ETH, 1052e6), "below");
        assertEq(vault.getMaintenanceRequirement(alice), 1000 * USDC, "5 % of 20,000");
        assertEq(vault.getEquity(alice), int256(10_000 * USDC), "equity at entry mark");
    }
}
