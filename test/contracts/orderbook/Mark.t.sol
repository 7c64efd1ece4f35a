// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OBTestBase} from "./utils/OBTestBase.sol";
import {IOBErrors} from "../../../contracts/interfaces/IOBErrors.sol";
import {IOBVaultAdmin} from "../../../contracts/interfaces/IOBVaultAdmin.sol";
import {IOBLiquidation} from "../../../contracts/interfaces/IOBLiquidation.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// forge-config: default.isolate = true
contract MarkTest is OBTestBase {
    function _twoSided() internal {
        limit(alice, 999 * P, 5 * U, true);
        limit(bob, 1_001 * P, 5 * U, false);
        limit(carol, 1_000 * P, 1 * U, false);
        market(dave, 1 * U, true); // last trade 1,000
    }

    function test_mark_isMedianOfBidAskLast() public {
        _twoSided();
        assertEq(obv.calculateMarkPrice(), 1_000 * P, "median(999, 1001, 1000)");
        assertEq(vault.getMarkPrice(MARKET), 1_000 * P, "pushed after the trade");
    }

    function test_mark_oneSmallOrderMovesItOnlyInsideTheSpread() public {
        _twoSided();
        nextBlock();
        // A dust bid far above the book would cross; the closest it can rest is just below the ask,
        // so the median can move at most across the spread (999..1,001), never beyond it.
        vm.prank(dave);
        ob.placeMarginLimitOrder(1_000.99e6, 0.001e18, true);
        uint256 mark = obv.calculateMarkPrice();
        assertLe(mark, 1_001 * P, "not above the ask");
        assertGe(mark, 999 * P, "not below the bid");
        // A dust print far away is clamped by the per-block bound.
        limit(bob, 2_000 * P, 0.001e18, false);
        vm.prank(bob);
        ob.cancelAllOrders();
        vm.prank(alice);
        ob.cancelAllOrders(); // the book empties: only the last trade is left
        limit(carol, 2_000 * P, 0.001e18, false);
        market(dave, 0.001e18, true); // a 2,000 print on an empty ask side
        assertLe(vault.getMarkPrice(MARKET), 1_050 * P, "clamped to +5 % within the block");
    }

    function test_mark_indexPriceFromSettlementRoleOnly() public {
        _twoSided();
        vm.prank(OWNER);
        IOBVaultAdmin(book).setMarkParams(500, 3_600);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NotSettlementRole.selector, alice));
        IOBVaultAdmin(book).setIndexPrice(1_000 * P);

        IAccessControl(address(vault)).grantRole(keccak256("SETTLEMENT_ROLE"), carol);
        vm.prank(carol);
        IOBVaultAdmin(book).setIndexPrice(1_000.5e6);
        assertEq(obv.calculateMarkPrice(), 1_000.5e6, "median(999, 1001, index)");
        vm.warp(block.timestamp + 3_601);
        assertEq(obv.calculateMarkPrice(), 1_000 * P, "stale index ignored");
    }

    function test_markPush_vaultRefusalNeverBlocksTrading() public {
        _twoSided();
        IAccessControl(address(vault)).grantRole(keccak256("SETTLEMENT_ROLE"), address(this));
        vault.setMaxMarkMove(10); // the vault accepts at most 0.1 % per update
        nextBlock();
        limit(carol, 1_030 * P, 1 * U, false);
        vm.prank(bob);
        ob.cancelAllOrders();
        vm.expectEmit(false, false, false, false, book);
        emit IOBLiquidation.MarkPushFailed(0);
        market(dave, 1 * U, true); // trades at 1,030: mark moves 3 %, the vault refuses the push
        assertEq(pos(dave), 2e18, "trade went through");
        assertEq(vault.getMarkPrice(MARKET), 1_000 * P, "vault kept its mark");
    }

    function test_RevertWhen_takerLacksMargin() public {
        address poor = address(0x9009);
        fund(poor, 50 * P);
        limit(alice, 1_000 * P, 5 * U, false);
        vm.prank(poor);
        vm.expectRevert();
        ob.placeMarginMarketOrder(5 * U, true);
        assertEq(pos(poor), 0, "no position");
        assertEq(obv.getActiveOrdersCount(), 1, "maker order intact");
    }

    function test_vault_refusesDirectFillsFromAnyoneButTheBook() public {
        ICoreVault.Fill memory f = ICoreVault.Fill(MARKET, alice, bob, true, 1e18, 1_000 * P, 0, 0, 0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotMarketOrderBook.selector, MARKET, alice, book));
        vault.settleFill(f);
    }
}
