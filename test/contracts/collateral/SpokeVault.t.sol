// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CollateralFixture} from "./CollateralFixture.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {SpokeVault} from "../../../contracts/collateral/SpokeVault.sol";
import {CollateralProxy} from "../../../contracts/collateral/CollateralProxy.sol";
import {IMessageVerifier} from "../../../contracts/interfaces/IMessageVerifier.sol";
import {ICollateralErrors} from "../../../contracts/interfaces/ICollateralErrors.sol";
import {ISpokeVault} from "../../../contracts/interfaces/ISpokeVault.sol";
import {IThresholdVerifier} from "../../../contracts/interfaces/IThresholdVerifier.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

contract SpokeVaultTest is CollateralFixture {
    address internal constant HUB = address(0x4B);
    MockUSDC internal usdc;
    SpokeVault internal spoke;

    function setUp() public {
        usdc = new MockUSDC(6);
        verifier = _deployVerifier(admin);
        spoke = _deploySpoke(usdc, HUB, verifier, _limits(1_000e6, 5_000e6), _limits(1_000e6, 3_000e6));
        usdc.mint(user, 100_000e6);
        vm.prank(user);
        usdc.approve(address(spoke), type(uint256).max);
    }

    function _withdrawal(
        uint64 nonce,
        address to,
        uint256 amount
    ) internal view returns (IMessageVerifier.Message memory) {
        return
            IMessageVerifier.Message({
                kind: 2,
                srcChainId: HUB_CHAIN,
                srcContract: HUB,
                dstChainId: uint64(block.chainid),
                dstContract: address(spoke),
                nonce: nonce,
                user: to,
                amount: amount
            });
    }

    function _fund(uint256 amount) internal {
        vm.prank(user);
        spoke.deposit(amount);
    }

    // ------------------------------------------------------------------ deposit

    function test_deposit_holdsUsdcAndEmitsMessage() public {
        IMessageVerifier.Message memory expected = IMessageVerifier.Message({
            kind: 1,
            srcChainId: uint64(block.chainid),
            srcContract: address(spoke),
            dstChainId: HUB_CHAIN,
            dstContract: HUB,
            nonce: 1,
            user: user,
            amount: 400e6
        });
        bytes32 id = keccak256(abi.encode(uint64(block.chainid), address(spoke), uint64(1)));
        vm.expectEmit(true, true, true, true, address(spoke));
        emit ISpokeVault.DepositSent(id, user, 1, 400e6, expected);
        vm.prank(user);
        bytes32 got = spoke.deposit(400e6);
        assertEq(got, id, "message id");
        assertEq(usdc.balanceOf(address(spoke)), 400e6, "spoke holds USDC");
        assertEq(usdc.balanceOf(user), 100_000e6 - 400e6, "user paid");
        assertEq(uint256(spoke.depositNonce()), 1, "nonce");
        assertEq(spoke.totalDeposited(), 400e6, "total");
    }

    function test_deposit_noncesIncrease() public {
        _fund(1e6);
        vm.prank(user);
        bytes32 id2 = spoke.deposit(2e6);
        assertEq(id2, keccak256(abi.encode(uint64(block.chainid), address(spoke), uint64(2))), "second id");
    }

    function test_RevertWhen_deposit_zero() public {
        vm.prank(user);
        vm.expectRevert(ICollateralErrors.ZeroAmount.selector);
        spoke.deposit(0);
    }

    function test_RevertWhen_deposit_aboveMessageLimit() public {
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.AmountAboveMessageLimit.selector, 1_001e6, 1_000e6));
        spoke.deposit(1_001e6);
    }

    function test_deposit_periodLimitResetsAfterPeriod() public {
        for (uint256 i; i < 5; ++i) _fund(1_000e6);
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.PeriodLimitExceeded.selector, 1e6, 5_000e6, 5_000e6));
        spoke.deposit(1e6);
        vm.warp(block.timestamp + 1 days);
        _fund(1e6);
        assertEq(uint256(spoke.depositWindow().used), 1e6, "new window");
    }

    function test_RevertWhen_deposit_paused() public {
        bytes32 pauser = spoke.PAUSER_ROLE();
        vm.startPrank(admin);
        spoke.grantRole(pauser, admin);
        spoke.pause();
        vm.stopPrank();
        vm.prank(user);
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        spoke.deposit(1e6);
    }

    // ------------------------------------------------------------------ release

    function test_receiveWithdrawal_paysUserOnce() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, user, 300e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        uint256 before = usdc.balanceOf(user);
        vm.prank(stranger); // anyone may deliver a verified message
        spoke.receiveWithdrawal(m, proof);
        assertEq(usdc.balanceOf(user), before + 300e6, "paid");
        assertEq(usdc.balanceOf(address(spoke)), 500e6, "spoke balance");
        bytes32 id = keccak256(abi.encode(HUB_CHAIN, HUB, uint64(1)));
        assertTrue(spoke.isProcessed(id), "consumed");

        vm.expectRevert(
            abi.encodeWithSelector(ICollateralErrors.MessageAlreadyProcessed.selector, id, HUB_CHAIN, HUB, uint64(1))
        );
        spoke.receiveWithdrawal(m, proof);
    }

    function test_RevertWhen_replayWithDifferentSigners() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, user, 300e6);
        spoke.receiveWithdrawal(m, _sign(verifier, m, _keys(PK1, PK2)));
        bytes memory other = _sign(verifier, m, _keys(PK2, PK3));
        vm.expectRevert();
        spoke.receiveWithdrawal(m, other);
        assertEq(usdc.balanceOf(address(spoke)), 500e6, "paid once");
    }

    function test_RevertWhen_releaseWithoutMessage() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, stranger, 800e6);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.NotEnoughSignatures.selector, 0, 2));
        spoke.receiveWithdrawal(m, "");
        assertEq(usdc.balanceOf(address(spoke)), 800e6, "nothing left");
    }

    function test_RevertWhen_releaseBelowThreshold() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, stranger, 800e6);
        bytes memory proof = _sign(verifier, m, _key(PK3));
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.NotEnoughSignatures.selector, 1, 2));
        spoke.receiveWithdrawal(m, proof);
    }

    function test_RevertWhen_releaseForged() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, stranger, 800e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK_OUTSIDER));
        vm.expectRevert();
        spoke.receiveWithdrawal(m, proof);
        assertEq(usdc.balanceOf(stranger), 0, "stranger unpaid");
    }

    function test_RevertWhen_releaseFromUnknownSource() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, stranger, 800e6);
        m.srcContract = stranger;
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.UnknownSource.selector, HUB_CHAIN, stranger));
        spoke.receiveWithdrawal(m, proof);
    }

    function test_RevertWhen_releaseDepositKind() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, user, 800e6);
        m.kind = 1;
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.WrongMessageKind.selector, uint8(1), uint8(2)));
        spoke.receiveWithdrawal(m, proof);
    }

    function test_RevertWhen_releaseForAnotherSpoke() public {
        _fund(800e6);
        IMessageVerifier.Message memory m = _withdrawal(1, user, 800e6);
        m.dstContract = stranger;
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralErrors.WrongDestination.selector, uint64(block.chainid), stranger)
        );
        spoke.receiveWithdrawal(m, proof);
    }

    function test_RevertWhen_releaseAbovePeriodLimit() public {
        for (uint256 i; i < 4; ++i) _fund(1_000e6);
        for (uint64 n = 1; n <= 3; ++n) {
            IMessageVerifier.Message memory ok = _withdrawal(n, user, 1_000e6);
            spoke.receiveWithdrawal(ok, _sign(verifier, ok, _keys(PK1, PK2)));
        }
        IMessageVerifier.Message memory m = _withdrawal(4, user, 1e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.PeriodLimitExceeded.selector, 1e6, 3_000e6, 3_000e6));
        spoke.receiveWithdrawal(m, proof);
    }

    function test_RevertWhen_releasePaused() public {
        _fund(800e6);
        vm.startPrank(admin);
        spoke.grantRole(spoke.PAUSER_ROLE(), admin);
        spoke.pause();
        vm.stopPrank();
        IMessageVerifier.Message memory m = _withdrawal(1, user, 100e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        spoke.receiveWithdrawal(m, proof);
        vm.prank(admin);
        spoke.unpause();
        spoke.receiveWithdrawal(m, proof);
        assertEq(spoke.totalReleased(), 100e6, "released after unpause");
    }

    // ------------------------------------------------------------------ admin and wrong callers

    function _expectUnauthorized(address who, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role));
    }

    function test_RevertWhen_setHub_notAdmin() public {
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        spoke.setHub(1, stranger);
    }

    function test_RevertWhen_setVerifier_notAdmin() public {
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        spoke.setVerifier(IMessageVerifier(stranger));
    }

    function test_RevertWhen_setLimits_notAdmin() public {
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        spoke.setLimits(_limits(1, 1), _limits(1, 1));
    }

    function test_RevertWhen_pause_notPauser() public {
        _expectUnauthorized(admin, spoke.PAUSER_ROLE());
        vm.prank(admin);
        spoke.pause();
    }

    function test_RevertWhen_unpause_notAdmin() public {
        vm.startPrank(admin);
        spoke.grantRole(spoke.PAUSER_ROLE(), stranger);
        vm.stopPrank();
        vm.prank(stranger);
        spoke.pause();
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        spoke.unpause();
    }

    function test_RevertWhen_upgrade_notAdmin() public {
        SpokeVault next = new SpokeVault();
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        spoke.upgradeToAndCall(address(next), "");
    }

    function test_upgrade_byAdminKeepsState() public {
        _fund(700e6);
        SpokeVault next = new SpokeVault();
        vm.prank(admin);
        spoke.upgradeToAndCall(address(next), "");
        assertEq(spoke.totalDeposited(), 700e6, "state kept");
        assertEq(uint256(spoke.depositNonce()), 1, "nonce kept");
    }

    function test_RevertWhen_initializeTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        spoke.initialize(stranger, usdc, 1, stranger, verifier, _limits(1, 1), _limits(1, 1));
    }

    function test_RevertWhen_usdcNotSixDecimals() public {
        MockUSDC bad = new MockUSDC(18);
        SpokeVault impl = new SpokeVault();
        bytes memory init = abi.encodeCall(
            SpokeVault.initialize,
            (admin, bad, HUB_CHAIN, HUB, verifier, _limits(1, 1), _limits(1, 1))
        );
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralErrors.InvalidCollateralDecimals.selector, address(bad), uint8(18))
        );
        new CollateralProxy(address(impl), init);
    }

    function test_RevertWhen_limitsInvalid() public {
        ICollateralErrors.Limits memory bad = ICollateralErrors.Limits({maxPerMessage: 10, maxPerPeriod: 5, period: 1});
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.InvalidLimits.selector, 10, 5, 1));
        spoke.setLimits(bad, bad);
    }

    function test_setters_byAdmin() public {
        vm.startPrank(admin);
        spoke.setHub(7, stranger);
        spoke.setLimits(_limits(5, 10), _limits(6, 12));
        spoke.setVerifier(IMessageVerifier(stranger));
        vm.stopPrank();
        (uint64 c, address h) = spoke.hub();
        assertEq(uint256(c), 7, "hub chain");
        assertEq(h, stranger, "hub");
        (ICollateralErrors.Limits memory d, ICollateralErrors.Limits memory r) = spoke.limits();
        assertEq(uint256(d.maxPerPeriod), 10, "deposit limit");
        assertEq(uint256(r.maxPerMessage), 6, "release limit");
        assertEq(address(spoke.verifier()), stranger, "verifier");
    }

    /// @notice The spoke never pays out more than was verified, whatever the amounts.
    function testFuzz_receiveWithdrawal_paysExactAmount(uint256 amount) public {
        amount = bound(amount, 1, 1_000e6);
        _fund(1_000e6);
        IMessageVerifier.Message memory m = _withdrawal(1, stranger, amount);
        spoke.receiveWithdrawal(m, _sign(verifier, m, _keys(PK2, PK3)));
        assertEq(usdc.balanceOf(stranger), amount, "paid");
        assertEq(usdc.balanceOf(address(spoke)), 1_000e6 - amount, "kept");
    }
}
