// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {CoreVaultDeployer} from "../../../contracts/test-support/CoreVaultDeployer.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";

/// @dev A "successor" that takes the call but pulls nothing (a wrong address with a fallback).
contract NoPullSuccessor {
    fallback() external {}
}

/// @notice Moving a retired vault's USDC to its successor (transferToSuccessor → receiveBacking)
/// and converting migrated external credit into token-backed balance against that backing.
contract CoreVaultSuccessorTest is VaultTestBase {
    ICoreVault internal next; // the successor; this contract is its admin too

    event TransferredToSuccessor(address indexed successor, uint256 amount);
    event BackingReceived(address indexed from, uint256 amount, uint256 unallocated);
    event ExternalCreditBacked(address indexed user, uint256 amount, uint256 unallocated);

    function setUp() public override {
        super.setUp();
        next = CoreVaultDeployer.deploy(address(usdc), address(this));
        fund(alice, 1_000 * USDC);
        fund(bob, 500 * USDC);
    }

    function _unauthorized(address who, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role);
    }

    /// @dev The merkle-claim migration: the old vault retires, its balances are credited externally
    /// on `next` (as MigrationCreditor does), then the tokens follow.
    function _migrate() internal {
        vault.pause();
        cv.grantRole(cv.EXTERNAL_CREDITOR_ROLE(), address(this));
        (bool ok, ) = address(next).call(
            abi.encodeWithSignature("grantRole(bytes32,address)", cv.EXTERNAL_CREDITOR_ROLE(), address(this))
        );
        assertTrue(ok, "grant");
        next.creditExternal(alice, 1_000 * USDC);
        next.creditExternal(bob, 500 * USDC);
    }

    function _pair(
        address a,
        uint256 x,
        address b,
        uint256 y
    ) internal pure returns (address[] memory u, uint256[] memory v) {
        u = new address[](2);
        v = new uint256[](2);
        (u[0], v[0], u[1], v[1]) = (a, x, b, y);
    }

    function test_transferToSuccessor_movesTokensAndBooksBacking() public {
        _migrate();
        vm.expectEmit(true, false, false, true, address(vault));
        emit TransferredToSuccessor(address(next), 1_500 * USDC);
        vm.expectEmit(true, false, false, true, address(next));
        emit BackingReceived(address(vault), 1_500 * USDC, 1_500 * USDC);
        vault.transferToSuccessor(address(next), 1_500 * USDC);
        assertEq(usdc.balanceOf(address(vault)), 0, "old vault emptied");
        assertEq(usdc.balanceOf(address(next)), 1_500 * USDC, "successor holds it");
        assertEq(next.unallocatedBacking(), 1_500 * USDC, "booked as backing");
        assertEq(usdc.allowance(address(vault), address(next)), 0, "no allowance left");
        // The old ledger is frozen, not rewritten.
        assertEq(vault.balanceOf(alice), 1_000 * USDC, "old ledger intact");
    }

    function test_convertExternalCredit_makesMigratedBalanceWithdrawable() public {
        _migrate();
        vault.transferToSuccessor(address(next), 1_500 * USDC);
        (address[] memory u, uint256[] memory v) = _pair(alice, 1_000 * USDC, bob, 400 * USDC);
        vm.expectEmit(true, false, false, true, address(next));
        emit ExternalCreditBacked(alice, 1_000 * USDC, 500 * USDC);
        next.convertExternalCredit(u, v);
        assertEq(next.balanceOf(alice), 1_000 * USDC, "balance unchanged");
        assertEq(next.externalCreditOf(alice), 0, "alice token-backed");
        assertEq(next.externalCreditOf(bob), 100 * USDC, "bob partly");
        assertEq(next.backedCreditOf(bob), 400 * USDC, "bob converted");
        assertEq(next.totalExternalCredits(), 100 * USDC, "total external down");
        assertEq(next.unallocatedBacking(), 100 * USDC, "backing left");
        vm.prank(alice);
        next.withdraw(1_000 * USDC);
        assertEq(usdc.balanceOf(alice), 1_000 * USDC, "alice withdrew on the successor");
        // Invariant: tokens held >= token-backed obligations (bob 400) + unallocated (100).
        assertEq(usdc.balanceOf(address(next)), 500 * USDC, "held");
    }

    function test_RevertWhen_convertBeyondBacking() public {
        _migrate();
        vault.transferToSuccessor(address(next), 1_200 * USDC);
        (address[] memory u, uint256[] memory v) = _pair(alice, 1_000 * USDC, bob, 201 * USDC);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InsufficientBacking.selector, 201 * USDC, 200 * USDC));
        next.convertExternalCredit(u, v);
    }

    function test_RevertWhen_convertWithoutAnyBacking() public {
        _migrate();
        // The successor holds deposits of its own: they back their depositors, never a conversion.
        usdc.mint(carol, 5_000 * USDC);
        vm.startPrank(carol);
        usdc.approve(address(next), 5_000 * USDC);
        next.deposit(5_000 * USDC);
        vm.stopPrank();
        (address[] memory u, uint256[] memory v) = _pair(alice, 1, bob, 1);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InsufficientBacking.selector, 1, 0));
        next.convertExternalCredit(u, v);
    }

    function test_RevertWhen_convertBeyondCredit() public {
        _migrate();
        vault.transferToSuccessor(address(next), 1_500 * USDC);
        (address[] memory u, uint256[] memory v) = _pair(alice, 1_000 * USDC, carol, 1);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InsufficientExternalCredit.selector, carol, 1, 0));
        next.convertExternalCredit(u, v);
    }

    function test_RevertWhen_convertBadInput() public {
        _migrate();
        vault.transferToSuccessor(address(next), 1_500 * USDC);
        address[] memory u = new address[](2);
        uint256[] memory v = new uint256[](1);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.LengthMismatch.selector, 2, 1));
        next.convertExternalCredit(u, v);
        (u, v) = _pair(alice, 0, bob, 1);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        next.convertExternalCredit(u, v);
    }

    function test_RevertWhen_convertByNonAdmin() public {
        _migrate();
        vault.transferToSuccessor(address(next), 1_500 * USDC);
        (address[] memory u, uint256[] memory v) = _pair(alice, 1, bob, 1);
        // Not even the external creditor (the hub) may convert: only the admin decides what is backed.
        vm.prank(hub);
        vm.expectRevert(_unauthorized(hub, bytes32(0)));
        next.convertExternalCredit(u, v);
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, bytes32(0)));
        next.convertExternalCredit(u, v);
    }

    function test_RevertWhen_transferToSuccessorByNonAdmin() public {
        vault.pause();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, bytes32(0)));
        vault.transferToSuccessor(address(next), 1);
        vm.prank(hub);
        vm.expectRevert(_unauthorized(hub, bytes32(0)));
        vault.transferToSuccessor(address(next), 1);
    }

    function test_RevertWhen_transferToSuccessorWhileLive() public {
        vm.expectRevert(PausableUpgradeable.ExpectedPause.selector);
        vault.transferToSuccessor(address(next), 1);
    }

    function test_RevertWhen_transferToSuccessorBadTarget() public {
        vault.pause();
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InvalidSuccessor.selector, address(vault)));
        vault.transferToSuccessor(address(vault), 1);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InvalidSuccessor.selector, stranger));
        vault.transferToSuccessor(stranger, 1);
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        vault.transferToSuccessor(address(next), 0);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.InsufficientVaultLiquidity.selector, 1_500 * USDC + 1, 1_500 * USDC)
        );
        vault.transferToSuccessor(address(next), 1_500 * USDC + 1);
    }

    function test_RevertWhen_successorDoesNotPull() public {
        vault.pause();
        NoPullSuccessor bad = new NoPullSuccessor();
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.SuccessorDidNotPull.selector, address(bad), 10 * USDC, 10 * USDC)
        );
        vault.transferToSuccessor(address(bad), 10 * USDC);
        assertEq(usdc.balanceOf(address(vault)), 1_500 * USDC, "nothing moved");
    }

    function test_receiveBacking_anyonePullsOnlyFromThemselves() public {
        vm.expectRevert(ICoreVault.ZeroAmount.selector);
        next.receiveBacking(0);
        usdc.mint(stranger, 7 * USDC);
        vm.startPrank(stranger);
        usdc.approve(address(next), 7 * USDC);
        next.receiveBacking(7 * USDC);
        vm.stopPrank();
        assertEq(next.unallocatedBacking(), 7 * USDC, "booked exactly what was pulled");
        // Without an allowance nothing can be booked.
        vm.prank(stranger);
        vm.expectRevert();
        next.receiveBacking(1);
    }

    /// @dev Any mix of native deposits, external credits, backing and conversions keeps
    /// USDC held + totalExternalCredits >= sum of balances + unallocated backing, and no conversion
    /// goes beyond the backing received.
    function testFuzz_conversionNeverCreatesUnbackedBalance(
        uint96 dep,
        uint96 cred1,
        uint96 cred2,
        uint96 backing,
        uint96 c1,
        uint96 c2
    ) public {
        address[] memory u = new address[](2);
        uint256[] memory v = new uint256[](2);
        (u[0], u[1]) = (carol, dave);
        v[0] = bound(c1, 1, 1e15);
        v[1] = bound(c2, 1, 1e15);
        uint256 d = bound(dep, 1, 1e15);
        usdc.mint(stranger, d);
        vm.startPrank(stranger);
        usdc.approve(address(next), d);
        next.deposit(d);
        vm.stopPrank();
        cv.grantRole(cv.EXTERNAL_CREDITOR_ROLE(), address(this));
        (bool ok, ) = address(next).call(
            abi.encodeWithSignature("grantRole(bytes32,address)", cv.EXTERNAL_CREDITOR_ROLE(), address(this))
        );
        assertTrue(ok, "grant");
        next.creditExternal(carol, bound(cred1, 1, 1e15));
        next.creditExternal(dave, bound(cred2, 1, 1e15));
        uint256 b = bound(backing, 1, 2e15);
        usdc.mint(address(this), b);
        usdc.approve(address(next), b);
        next.receiveBacking(b);
        bool fits = v[0] + v[1] <= b && v[0] <= next.externalCreditOf(carol) && v[1] <= next.externalCreditOf(dave);
        (ok, ) = address(next).call(abi.encodeCall(ICoreVault.convertExternalCredit, (u, v)));
        assertEq(ok, fits, "converts exactly when backed and credited");
        uint256 owed = next.balanceOf(stranger) + next.balanceOf(carol) + next.balanceOf(dave);
        assertGe(
            usdc.balanceOf(address(next)) + next.totalExternalCredits(),
            owed + next.unallocatedBacking(),
            "backed"
        );
        assertEq(
            next.unallocatedBacking() + next.backedCreditOf(carol) + next.backedCreditOf(dave),
            b,
            "backing is either unallocated or assigned"
        );
        // Native depositors' tokens back only them: the token-backed balances fit in the tokens held.
        uint256 tokenBacked = owed - next.totalExternalCredits();
        assertGe(usdc.balanceOf(address(next)) - next.unallocatedBacking(), tokenBacked, "token-backed covered");
    }
}
