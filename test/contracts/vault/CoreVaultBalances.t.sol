// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {CoreVault} from "../../../contracts/vault/CoreVault.sol";
import {CoreVaultProxy} from "../../../contracts/vault/CoreVaultProxy.sol";
import {VaultRiskModule} from "../../../contracts/vault/modules/VaultRiskModule.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

contract CoreVaultInitTest is VaultTestBase {
    function test_initialize_setsCollateralAdminAndDefaults() public view {
        assertEq(vault.collateralToken(), address(usdc), "collateral");
        assertTrue(cv.hasRole(cv.DEFAULT_ADMIN_ROLE(), address(this)), "admin role");
        assertEq(cv.getRoleMemberCount(cv.DEFAULT_ADMIN_ROLE()), 1, "admins enumerable");
        assertEq(cv.getRoleMember(cv.ORDERBOOK_ROLE(), 0), ob, "order book enumerable");
        ICoreVault.RiskParams memory r = vault.getRiskParams();
        assertLe(r.mmrOfImrBps, 9999, "mm < im");
        assertEq(r.protocolFeeRecipient, address(this), "fee recipient");
    }

    function test_RevertWhen_collateralNotSixDecimals() public {
        MockUSDC bad = new MockUSDC(18);
        CoreVault impl = new CoreVault(address(new VaultRiskModule()));
        bytes memory init = abi.encodeCall(CoreVault.initialize, (address(bad), address(this)));
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InvalidCollateralDecimals.selector, address(bad), uint8(18)));
        new CoreVaultProxy(address(impl), init);
    }

    function test_RevertWhen_initializeTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        cv.initialize(address(usdc), address(this));
    }

    function test_RevertWhen_implementationInitializedDirectly() public {
        CoreVault impl = new CoreVault(address(new VaultRiskModule()));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(address(usdc), address(this));
    }

    function test_RevertWhen_moduleCalledDirectly() public {
        VaultRiskModule module = new VaultRiskModule();
        vm.expectRevert(ICoreVault.NotDelegated.selector);
        module.settleMarket(ETH, P2000);
        CoreVault impl = new CoreVault(address(module));
        ICoreVault screen = ICoreVault(impl.SCREEN_MODULE());
        CoreVault admin = CoreVault(impl.ADMIN_MODULE());
        vm.expectRevert(ICoreVault.NotDelegated.selector);
        screen.pokeScreen(ETH, 0, 20, P2000, 3);
        vm.expectRevert(ICoreVault.NotDelegated.selector);
        admin.initialize(address(usdc), address(this));
    }

    function test_codeSize_everyVaultContractUnderEip170() public {
        VaultRiskModule module = new VaultRiskModule();
        CoreVault impl = new CoreVault(address(module));
        assertLe(address(impl).code.length, 24_575, "CoreVault");
        assertLe(address(module).code.length, 24_575, "VaultRiskModule");
        assertLe(impl.SCREEN_MODULE().code.length, 24_575, "VaultScreenModule");
        assertLe(impl.ADMIN_MODULE().code.length, 24_575, "VaultAdminModule");
        assertGe(impl.SCREEN_MODULE().code.length, 1, "screen module deployed by the constructor");
        assertGe(impl.ADMIN_MODULE().code.length, 1, "admin module deployed by the constructor");
        assertLe(address(vault).code.length, 24_575, "proxy");
        assertGe(address(impl).code.length, 1, "deployed");
    }

    function test_moduleRoleChecks_readProxyRoles() public {
        // The module's onlyRole reads the proxy's AccessControl namespace: a stranger is refused,
        // the keeper holding SETTLEMENT_ROLE on the proxy passes.
        bytes32 role = cv.SETTLEMENT_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        vault.settleMarket(ETH, P2000);
        vm.prank(keeper);
        vault.settleMarket(ETH, P2000);
        assertTrue(vault.isMarketSettled(ETH), "settled through the module");
    }
}

contract CoreVaultBalancesTest is VaultTestBase {
    function test_deposit_creditsBalanceAndTracksUser() public {
        fund(alice, 1000 * USDC);
        assertEq(vault.balanceOf(alice), 1000 * USDC, "balance");
        assertEq(usdc.balanceOf(address(vault)), 1000 * USDC, "tokens held");
        assertEq(vault.getKnownUsersCount(), 1, "tracked");
        assertEq(vault.getKnownUsersPage(0, 10)[0], alice, "known user");
    }

    function test_RevertWhen_depositZero() public {
        vm.prank(alice);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.deposit(0);
    }

    function test_withdraw_paysFreeCollateral() public {
        fund(alice, 1000 * USDC);
        vm.prank(alice);
        vault.withdraw(400 * USDC);
        assertEq(vault.balanceOf(alice), 600 * USDC, "balance");
        assertEq(usdc.balanceOf(alice), 400 * USDC, "paid");
    }

    function test_RevertWhen_withdrawMoreThanFree() public {
        fund(alice, 1000 * USDC);
        trade(alice, ETH, int256(ONE), P2000); // locks 200 USDC (10 % of 2000)
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, alice, 801 * USDC, 800 * USDC)
        );
        vault.withdraw(801 * USDC);
    }

    function test_RevertWhen_withdrawIgnoresUnrealizedLoss() public {
        fund(alice, 1000 * USDC);
        trade(alice, ETH, int256(ONE), P2000);
        setMark(ETH, 1900e6); // -100 uPnL owed
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, alice, 701 * USDC, 700 * USDC)
        );
        vault.withdraw(701 * USDC);
    }

    function test_RevertWhen_withdrawReservedMargin() public {
        fund(alice, 1000 * USDC);
        vm.prank(ob);
        vault.reserveMargin(alice, ETH, 300 * USDC);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, alice, 701 * USDC, 700 * USDC)
        );
        vault.withdraw(701 * USDC);
    }

    function test_creditExternal_creditsWithoutTokensAndTracks() public {
        vm.prank(hub);
        vault.creditExternal(carol, 500 * USDC);
        assertEq(vault.balanceOf(carol), 500 * USDC, "balance");
        assertEq(vault.externalCreditOf(carol), 500 * USDC, "external");
        assertEq(vault.totalExternalCredits(), 500 * USDC, "total external");
        assertEq(usdc.balanceOf(address(vault)), 0, "no tokens moved");
        assertEq(vault.getKnownUsersPage(0, 1)[0], carol, "gasless user tracked");
    }

    function test_RevertWhen_withdrawExternallyBacked() public {
        vm.prank(hub);
        vault.creditExternal(carol, 500 * USDC);
        fund(alice, 500 * USDC); // the vault now holds tokens, but not carol's
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, carol, 1, 0));
        vault.withdraw(1);
    }

    function test_debitExternal_reducesCreditAndBalance() public {
        vm.prank(hub);
        vault.creditExternal(carol, 500 * USDC);
        vm.prank(hub);
        vault.debitExternal(carol, 200 * USDC);
        assertEq(vault.balanceOf(carol), 300 * USDC, "balance");
        assertEq(vault.externalCreditOf(carol), 300 * USDC, "external");
        assertEq(vault.totalExternalCredits(), 300 * USDC, "total");
    }

    function test_RevertWhen_debitExternalBeyondCredit() public {
        fund(carol, 1000 * USDC);
        vm.prank(hub);
        vault.creditExternal(carol, 100 * USDC);
        vm.prank(hub);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientExternalCredit.selector, carol, 101 * USDC, 100 * USDC)
        );
        vault.debitExternal(carol, 101 * USDC);
    }

    function test_RevertWhen_debitExternalBeyondFree() public {
        vm.prank(hub);
        vault.creditExternal(carol, 1000 * USDC);
        trade(carol, ETH, int256(ONE), P2000); // 200 locked
        vm.prank(hub);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, carol, 801 * USDC, 800 * USDC)
        );
        vault.debitExternal(carol, 801 * USDC);
    }

    function test_RevertWhen_withdrawBeyondVaultLiquidity() public {
        // carol (external) loses 100 to alice (tokens); alice's 1,100 exceeds the 1,000 tokens held.
        fund(alice, 1000 * USDC);
        vm.prank(hub);
        vault.creditExternal(carol, 1000 * USDC);
        fill(carol, alice, true, ONE, P2000);
        fill(carol, alice, false, ONE, 2100e6);
        assertEq(vault.balanceOf(alice), 1100 * USDC, "alice won 100");
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientVaultLiquidity.selector, 1100 * USDC, 1000 * USDC)
        );
        vault.withdraw(1100 * USDC);
    }

    function test_fundInsurance_pullsTokens() public {
        usdc.mint(bob, 50 * USDC);
        vm.startPrank(bob);
        usdc.approve(address(vault), 50 * USDC);
        vault.fundInsurance(ETH, 50 * USDC);
        vm.stopPrank();
        assertEq(vault.insuranceFund(ETH), 50 * USDC, "insurance");
        assertEq(vault.balanceOf(bob), 0, "not a balance");
    }

    function test_pause_freezesBalancesButNotViews() public {
        fund(alice, 100 * USDC);
        vault.pause();
        vm.prank(alice);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.withdraw(1);
        vm.prank(hub);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.creditExternal(alice, 1);
        vm.prank(ob);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.updatePositionWithMargin(alice, ETH, int256(ONE), P2000, 0);
        vm.prank(keeper);
        vm.expectRevert(bytes4(keccak256("EnforcedPause()")));
        vault.settleMarket(ETH, P2000);
        assertEq(vault.balanceOf(alice), 100 * USDC, "views work");
        vault.unpause();
        vm.prank(alice);
        vault.withdraw(1);
    }
}
