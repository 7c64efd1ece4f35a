// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";

/// @notice Liquidation, penalty split, maker rewards, bad debt waterfall, ADL, socialization.
/// Scenario: alice long 10 ETH @ 2,000 with 10,000 USDC (liquidation price ~1,052.63, bankruptcy
/// price 1,000), bob the opposite short, carol a resting maker, dave a flat bystander.
contract CoreVaultRiskTest is VaultTestBase {
    function setUp() public override {
        super.setUp();
        fund(alice, 10_000 * USDC);
        fund(bob, 10_000 * USDC);
        fund(carol, 20_000 * USDC);
        fund(dave, 5_000 * USDC);
        fill(bob, alice, true, 10 * ONE, P2000);
    }

    function _liquidationFill(uint256 sz, uint256 price) internal returns (uint256 badDebt) {
        vm.prank(ob);
        return vault.settleLiquidationFill(ETH, alice, carol, 0, sz, price, 0);
    }

    function test_RevertWhen_liquidatingHealthyAccount() public {
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotLiquidatable.selector, alice, ETH));
        vault.updatePositionWithLiquidation(alice, ETH, -int256(ONE), P2000);
    }

    function test_RevertWhen_penaltyWithoutLiquidation() public {
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotLiquidatable.selector, alice, ETH));
        vault.chargeLiquidationPenalty(ETH, alice, 1000 * USDC, keeper);
    }

    function test_settleLiquidationFill_closesAgainstMaker() public {
        walkMark(ETH, 1040e6);
        assertTrue(vault.isLiquidatable(alice, ETH, 0), "liquidatable at mark");
        uint256 bad = _liquidationFill(10 * ONE, 1040e6);
        assertEq(bad, 0, "no bad debt");
        assertEq(sizeOf(alice, ETH), 0, "alice flat");
        assertEq(sizeOf(carol, ETH), 10 * int256(ONE), "maker long");
        assertEq(vault.balanceOf(alice), 400 * USDC, "10,000 - 9,600");
        assertFalse(vault.userInMarket(alice, ETH), "index updated on liquidation");
        assertEq(vault.getLockedMargin(alice), 0, "margin released");
    }

    function test_updatePositionWithLiquidation_partialThenContinuesInSameTx() public {
        walkMark(ETH, 1040e6);
        vm.startPrank(ob);
        vault.updatePositionWithLiquidation(alice, ETH, -4 * int256(ONE), 1040e6);
        // after the first step alice may be healthy again; the same transaction may still finish
        vault.updatePositionWithLiquidation(alice, ETH, -6 * int256(ONE), 1040e6);
        vm.stopPrank();
        assertEq(sizeOf(alice, ETH), 0, "closed");
    }

    function test_RevertWhen_liquidationPriceOutsideMarkBand() public {
        walkMark(ETH, 1040e6);
        // 10 % band around 1,040: 936..1,144
        vm.prank(ob);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.LiquidationPriceOutOfBand.selector, ETH, 935e6, 1040e6, 1000)
        );
        vault.updatePositionWithLiquidation(alice, ETH, -int256(ONE), 935e6);
    }

    function test_RevertWhen_liquidationIncreases() public {
        walkMark(ETH, 1040e6);
        vm.prank(ob);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.LiquidationMustReduce.selector, alice, ETH, 10 * int256(ONE), int256(ONE))
        );
        vault.updatePositionWithLiquidation(alice, ETH, int256(ONE), 1040e6);
        vm.prank(ob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoreVault.LiquidationMustReduce.selector,
                alice,
                ETH,
                10 * int256(ONE),
                -11 * int256(ONE)
            )
        );
        vault.updatePositionWithLiquidation(alice, ETH, -11 * int256(ONE), 1040e6);
    }

    function test_chargeLiquidationPenalty_splitsAndOncePerTx() public {
        walkMark(ETH, 1040e6);
        _liquidationFill(10 * ONE, 1040e6);
        uint256 insBefore = vault.insuranceFund(ETH);
        vm.prank(ob);
        uint256 pool = vault.chargeLiquidationPenalty(ETH, alice, 10_400 * USDC, keeper);
        // 2.5 % of 10,400 = 260: 50 % insurance, 20 % liquidator, 30 % makers
        assertEq(pool, 78 * USDC, "maker pool");
        assertEq(vault.makerRewardEscrow(ETH), 78 * USDC, "escrow");
        assertEq(vault.insuranceFund(ETH) - insBefore, 130 * USDC, "insurance");
        assertEq(vault.balanceOf(keeper), 52 * USDC, "liquidator");
        assertEq(vault.balanceOf(alice), 140 * USDC, "400 - 260");
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.PenaltyAlreadyCharged.selector, alice, ETH));
        vault.chargeLiquidationPenalty(ETH, alice, 10_400 * USDC, keeper);
    }

    function test_chargeLiquidationPenalty_cappedByBalance() public {
        walkMark(ETH, 1010e6);
        _liquidationFill(10 * ONE, 1010e6); // leaves 100
        vm.prank(ob);
        vault.chargeLiquidationPenalty(ETH, alice, 10_100 * USDC, address(0));
        assertEq(vault.balanceOf(alice), 0, "took only what was there");
        assertEq(vault.balanceOf(address(0)), 0, "no liquidator: its share to insurance");
        assertEq(vault.makerRewardEscrow(ETH), 30 * USDC, "30 % of 100");
    }

    function test_payMakerRewards_boundedByEscrow() public {
        walkMark(ETH, 1040e6);
        _liquidationFill(10 * ONE, 1040e6);
        vm.prank(ob);
        vault.chargeLiquidationPenalty(ETH, alice, 10_400 * USDC, keeper);
        address[] memory makers = new address[](2);
        makers[0] = carol;
        makers[1] = dave;
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = 50 * USDC;
        amounts[1] = 29 * USDC;
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.RewardExceedsPool.selector, ETH, 79 * USDC, 78 * USDC));
        vault.payMakerRewards(ETH, makers, amounts);
        amounts[1] = 28 * USDC;
        uint256 carolBefore = vault.balanceOf(carol);
        vm.prank(ob);
        vault.payMakerRewards(ETH, makers, amounts);
        assertEq(vault.balanceOf(carol) - carolBefore, 50 * USDC, "carol paid");
        assertEq(vault.makerRewardEscrow(ETH), 0, "escrow drained exactly");
    }

    function test_RevertWhen_payMakerRewardsLengthMismatch() public {
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.LengthMismatch.selector, 1, 0));
        vault.payMakerRewards(ETH, new address[](1), new uint256[](0));
    }

    function test_badDebt_insuranceFirstThenDeficit() public {
        usdc.mint(address(this), 300 * USDC);
        usdc.approve(address(vault), 300 * USDC);
        vault.fundInsurance(ETH, 300 * USDC);
        walkMark(ETH, 900e6);
        uint256 daveBefore = vault.balanceOf(dave);
        uint256 bad = _liquidationFill(10 * ONE, 900e6); // loss 11,000 on 10,000
        assertEq(vault.balanceOf(alice), 0, "emptied");
        assertEq(vault.insuranceFund(ETH), 0, "insurance drawn first");
        assertEq(bad, 700 * USDC, "uncovered");
        assertEq(vault.marketDeficit(ETH), 700 * USDC, "deficit");
        assertEq(vault.balanceOf(dave), daveBefore, "flat bystander untouched");
    }

    function test_socializeDeficit_haircutsWinnersNeverFlatUsers() public {
        walkMark(ETH, 900e6);
        _liquidationFill(10 * ONE, 900e6); // deficit 1,000, no insurance
        assertEq(vault.marketDeficit(ETH), 1000 * USDC, "deficit");
        address[] memory cands = new address[](3);
        cands[0] = dave; // flat: skipped
        cands[1] = carol; // long from 900, at mark 900: no profit, skipped
        cands[2] = bob; // short from 2,000, +11,000 at 900
        uint256 daveBefore = vault.balanceOf(dave);
        uint256 bobBalance = vault.balanceOf(bob);
        vm.prank(ob);
        uint256 recovered = vault.socializeDeficit(ETH, cands);
        assertEq(recovered, 1000 * USDC, "recovered");
        assertEq(vault.marketDeficit(ETH), 0, "cleared");
        assertEq(vault.balanceOf(dave), daveBefore, "flat user never pays");
        assertEq(vault.balanceOf(bob), bobBalance, "balance untouched: the haircut is on unrealized profit");
        // bob's entry moved from 2,000 to 1,900: 10 ETH * 100 = 1,000 less profit
        assertEq(vault.getPosition(bob, ETH).entryPrice, 1900e6, "entry haircut");
        vm.prank(ob);
        assertEq(vault.socializeDeficit(ETH, cands), 0, "nothing left to take");
    }

    function test_adlFill_closesAtBankruptcyPrice() public {
        walkMark(ETH, 1040e6);
        vm.prank(ob);
        uint256 closed = vault.adlFill(ETH, alice, bob, 10 * ONE);
        assertEq(closed, 10 * ONE, "closed");
        assertEq(vault.balanceOf(alice), 0, "closed at bankruptcy: equity exactly 0");
        assertEq(vault.balanceOf(bob), 20_000 * USDC, "bob +10,000 at 1,000");
        assertEq(vault.getUsersWithPositionsInMarketCount(ETH), 0, "both left the index");
    }

    function test_RevertWhen_adlCounterpartyNotProfitableOpposite() public {
        walkMark(ETH, 1040e6);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotProfitableCounterparty.selector, dave, ETH));
        vault.adlFill(ETH, alice, dave, ONE); // flat
        trade(carol, ETH, int256(ONE), 1040e6);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotProfitableCounterparty.selector, carol, ETH));
        vault.adlFill(ETH, alice, carol, ONE); // same side
    }

    function test_RevertWhen_adlHealthyAccount() public {
        setMark(ETH, 2100e6); // alice (long) in profit, bob (short) losing but healthy
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotLiquidatable.selector, bob, ETH));
        vault.adlFill(ETH, bob, alice, ONE);
    }
}

contract CoreVaultSettlementTest is VaultTestBase {
    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 25; ++i) {
            address u = address(uint160(0x2000 + i));
            fund(u, 1000 * USDC);
            trade(u, ETH, (i % 2 == 0 ? int256(1) : int256(-1)) * int256(ONE / 10), P2000);
        }
        vm.prank(ob);
        vault.reserveMargin(address(0x2000), ETH, 10 * USDC);
    }

    function test_settleMarket_pagesUntilSettled() public {
        vm.prank(keeper);
        vault.settleMarket(ETH, 2100e6);
        assertEq(vault.getUsersWithPositionsInMarketCount(ETH), 5, "first page of 20");
        assertFalse(vault.isMarketSettled(ETH), "still settling");
        vm.prank(keeper);
        assertFalse(vault.processSettlement(ETH, 3), "not yet");
        vm.prank(keeper);
        assertTrue(vault.processSettlement(ETH, 100), "done");
        assertTrue(vault.isMarketSettled(ETH), "settled");
        assertEq(vault.getMarketInfo(ETH).settledPositions, 25, "all settled");
        // longs (+10) and shorts (-10) at 2,100 vs 2,000
        assertEq(vault.balanceOf(address(0x2000)), 1010 * USDC, "long profit");
        assertEq(vault.balanceOf(address(0x2001)), 990 * USDC, "short loss");
        assertEq(vault.getLockedMargin(address(0x2001)), 0, "margin released");
    }

    function test_settledMarket_refusesHooksAndFreesReservations() public {
        vm.prank(keeper);
        vault.settleMarket(ETH, P2000);
        vm.prank(keeper);
        vault.processSettlement(ETH, 100);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketIsSettled.selector, ETH));
        vault.updatePositionWithMargin(alice, ETH, int256(ONE), P2000, 0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketIsSettled.selector, ETH));
        vault.settleMarket(ETH, P2000);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketIsSettled.selector, ETH));
        vault.reserveMargin(address(0x2000), ETH, 1);
        // the book still returns its orders' reservations after settlement
        vm.prank(ob);
        vault.releaseMargin(address(0x2000), 10 * USDC);
        assertEq(vault.getReservedMargin(address(0x2000)), 0, "owner's reservation gone");
    }

    function test_RevertWhen_settlementPriceJumps() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarkMoveTooLarge.selector, ETH, P2000, 3000e6, 1000));
        vault.settleMarket(ETH, 3000e6);
    }

    function test_RevertWhen_processSettlementNotSettling() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketNotSettling.selector, ETH));
        vault.processSettlement(ETH, 10);
    }
}
