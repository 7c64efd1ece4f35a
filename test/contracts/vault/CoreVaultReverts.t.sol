// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";

/// @notice Remaining revert paths, each with its custom error and arguments.
contract CoreVaultRevertsTest is VaultTestBase {
    bytes32 internal constant SOL = keccak256("SOL-USD");

    function setUp() public override {
        super.setUp();
        fund(alice, 1_000 * USDC);
    }

    function test_RevertWhen_zeroAmounts() public {
        vm.startPrank(alice);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.withdraw(0);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.fundInsurance(ETH, 0);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.topUpPositionMargin(ETH, 0);
        vm.stopPrank();
        vm.startPrank(hub);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.creditExternal(alice, 0);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.debitExternal(alice, 0);
        vm.stopPrank();
        vm.startPrank(ob);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.settleFill(ICoreVault.Fill(ETH, bob, alice, true, 0, P2000, 0, 0, 0));
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.adlFill(ETH, alice, bob, 0);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.settleLiquidationFill(ETH, alice, bob, 0, 0, P2000, 0);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.updateMarkPrice(ETH, 0);
        vm.stopPrank();
        vm.prank(keeper);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.settleMarket(ETH, 0);
    }

    function test_RevertWhen_zeroAddresses() public {
        vm.prank(hub);
        vm.expectRevert(ICoreVault.ZeroAddress.selector);
        vault.creditExternal(address(0), 1);
        vm.expectRevert(ICoreVault.ZeroAddress.selector);
        vault.registerOrderBook(address(0));
        vm.prank(ob);
        vm.expectRevert(ICoreVault.ZeroAddress.selector);
        vault.reserveMargin(address(0), ETH, 1);
    }

    function test_RevertWhen_unknownMarketEverywhere() public {
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.UnknownMarket.selector, SOL));
        vault.setMarketRiskParams(SOL, 1000);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.UnknownMarket.selector, SOL));
        vault.updateMarkPrice(SOL, P2000);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.UnknownMarket.selector, SOL));
        vault.settleMarket(SOL, P2000);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.UnknownMarket.selector, SOL));
        vault.fundInsurance(SOL, 1);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.UnknownMarket.selector, SOL));
        vault.reserveMargin(alice, SOL, 1);
    }

    function test_RevertWhen_settledMarketTouched() public {
        vm.prank(keeper);
        vault.settleMarket(ETH, P2000);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketIsSettled.selector, ETH));
        vault.updateMarkPrice(ETH, P2000);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketIsSettled.selector, ETH));
        vault.topUpPositionMargin(ETH, 1);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketIsSettled.selector, ETH));
        vault.reserveMargin(alice, ETH, 1);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketIsSettled.selector, ETH));
        vault.adlFill(ETH, alice, bob, 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.MarketNotSettling.selector, ETH));
        vault.processSettlement(ETH, 1); // already settled: nothing left to process
    }

    function test_RevertWhen_adlBankruptWithoutPosition() public {
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NoPosition.selector, alice, ETH));
        vault.adlFill(ETH, alice, bob, 1);
    }

    function test_RevertWhen_socializeTooManyCandidates() public {
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.ParamOutOfBounds.selector, "candidates", 51, 0, 50));
        vault.socializeDeficit(ETH, new address[](51));
    }

    function test_RevertWhen_pausedRiskAndAdminPaths() public {
        vault.pause();
        vm.prank(ob);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.settleLiquidationFill(ETH, alice, bob, 0, 1, P2000, 0);
        vm.prank(ob);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.reserveMargin(alice, ETH, 1);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.sweepFees(ETH);
        vm.prank(alice);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.deposit(1);
        vm.prank(keeper);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.updateMarkPrice(ETH, P2000);
    }

    function test_sweepFees_emptyPoolSweepsNothing() public {
        assertEq(vault.sweepFees(ETH), 0, "nothing");
        assertEq(vault.insuranceFund(ETH), 0, "no insurance change");
    }

    function test_debitExternal_afterLossBoundedByBalance() public {
        // erin's external credit stays 1,000 after losing 100: only the 900 she still has can go back
        address erin = address(0xE217);
        vm.prank(hub);
        vault.creditExternal(erin, 1_000 * USDC);
        trade(erin, ETH, int256(ONE), P2000);
        trade(erin, ETH, -int256(ONE), 1900e6);
        assertEq(vault.externalCreditOf(erin), 1_000 * USDC, "credit unchanged");
        vm.prank(hub);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, erin, 901 * USDC, 900 * USDC)
        );
        vault.debitExternal(erin, 901 * USDC);
        vm.prank(hub);
        vault.debitExternal(erin, 900 * USDC);
        assertEq(vault.balanceOf(erin), 0, "emptied");
        assertEq(vault.totalExternalCredits(), 100 * USDC, "the lost 100 stays as credit");
    }
}
