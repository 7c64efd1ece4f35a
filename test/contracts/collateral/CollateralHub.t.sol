// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HubFixture} from "./HubFixture.sol";
import {CollateralHub} from "../../../contracts/collateral/CollateralHub.sol";
import {IMessageVerifier} from "../../../contracts/interfaces/IMessageVerifier.sol";
import {ICollateralErrors} from "../../../contracts/interfaces/ICollateralErrors.sol";
import {ICollateralHub} from "../../../contracts/interfaces/ICollateralHub.sol";
import {IThresholdVerifier} from "../../../contracts/interfaces/IThresholdVerifier.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

contract CollateralHubTest is HubFixture {
    uint256 internal constant USER_PK = 0x05E5;

    function setUp() public {
        user = vm.addr(USER_PK);
        _setUpHub();
    }

    function _id(uint64 chain, address src, uint64 nonce) internal pure returns (bytes32) {
        return keccak256(abi.encode(chain, src, nonce));
    }

    // ------------------------------------------------------------------ receiveDeposit

    function test_receiveDeposit_creditsUserOnVault() public {
        IMessageVerifier.Message memory m = _deposit(user, 250e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK3));
        vm.expectEmit(true, true, true, true, address(hub));
        emit ICollateralHub.DepositCredited(
            _id(SPOKE_CHAIN, SPOKE, 1),
            user,
            SPOKE_CHAIN,
            SPOKE,
            1,
            250e6,
            address(vault)
        );
        vm.prank(stranger); // delivery is permissionless; authenticity comes from the proof
        hub.receiveDeposit(m, proof);
        assertEq(vault.externalCreditOf(user), 250e6, "credited on vault");
        assertEq(hub.creditedFrom(user, SPOKE_CHAIN), 250e6, "per-spoke credit");
        assertTrue(hub.isProcessed(_id(SPOKE_CHAIN, SPOKE, 1)), "consumed");
        // visible to liquidation scanners and analytics without a native hub deposit
        uint256 n = vault.getKnownUsersCount();
        address[] memory page = vault.getKnownUsersPage(n - 1, 1);
        assertEq(page[0], user, "in the known-users page");
        assertEq(vault.balanceOf(user), 250e6, "balance usable as margin");
    }

    function test_RevertWhen_depositReplayed() public {
        IMessageVerifier.Message memory m = _credit(user, 100e6);
        bytes memory proof = _sign(verifier, m, _keys(PK2, PK3));
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralErrors.MessageAlreadyProcessed.selector,
                _id(SPOKE_CHAIN, SPOKE, 1),
                SPOKE_CHAIN,
                SPOKE,
                uint64(1)
            )
        );
        hub.receiveDeposit(m, proof);
        assertEq(vault.externalCreditOf(user), 100e6, "credited once");
    }

    function test_RevertWhen_depositReplayedWithOtherAmount() public {
        IMessageVerifier.Message memory m = _credit(user, 100e6);
        m.amount = 900e6; // same (chain, spoke, nonce): refused whatever the payload
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert();
        hub.receiveDeposit(m, proof);
    }

    function test_RevertWhen_depositForged() public {
        IMessageVerifier.Message memory m = _deposit(stranger, 900e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK_OUTSIDER));
        vm.expectRevert();
        hub.receiveDeposit(m, proof);
        assertEq(vault.externalCreditOf(stranger), 0, "nothing minted");
    }

    function test_RevertWhen_depositBelowThreshold() public {
        IMessageVerifier.Message memory m = _deposit(stranger, 900e6);
        bytes memory proof = _sign(verifier, m, _key(PK1));
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.NotEnoughSignatures.selector, 1, 2));
        hub.receiveDeposit(m, proof);
    }

    function test_RevertWhen_depositFromUnregisteredSpoke() public {
        IMessageVerifier.Message memory m = _deposit(user, 1e6);
        m.srcContract = stranger;
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.UnknownSource.selector, SPOKE_CHAIN, stranger));
        hub.receiveDeposit(m, proof);
    }

    function test_RevertWhen_depositFromDisabledSpoke() public {
        vm.prank(admin);
        hub.setSpoke(SPOKE_CHAIN, SPOKE, false, _limits(1_000e6, 5_000e6));
        IMessageVerifier.Message memory m = _deposit(user, 1e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralHub.SpokeNotEnabled.selector, SPOKE_CHAIN));
        hub.receiveDeposit(m, proof);
    }

    function test_RevertWhen_depositWrongKind() public {
        IMessageVerifier.Message memory m = _deposit(user, 1e6);
        m.kind = 2;
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.WrongMessageKind.selector, uint8(2), uint8(1)));
        hub.receiveDeposit(m, proof);
    }

    function test_RevertWhen_depositForAnotherHub() public {
        IMessageVerifier.Message memory m = _deposit(user, 1e6);
        m.dstChainId = 1;
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.WrongDestination.selector, uint64(1), address(hub)));
        hub.receiveDeposit(m, proof);
    }

    function test_RevertWhen_depositAboveLimits() public {
        IMessageVerifier.Message memory m = _deposit(user, 1_000e6 + 1);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralErrors.AmountAboveMessageLimit.selector, 1_000e6 + 1, 1_000e6)
        );
        hub.receiveDeposit(m, proof);
        for (uint256 i; i < 5; ++i) _credit(user, 1_000e6);
        m = _deposit(user, 1);
        proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(ICollateralErrors.PeriodLimitExceeded.selector, 1, 5_000e6, 5_000e6));
        hub.receiveDeposit(m, proof);
        vm.warp(block.timestamp + 1 days);
        hub.receiveDeposit(m, proof); // the same, still unconsumed message goes through next period
        assertEq(vault.externalCreditOf(user), 5_000e6 + 1, "credited after the window");
    }

    function test_RevertWhen_depositPaused() public {
        vm.prank(operatorAcct);
        hub.pause();
        IMessageVerifier.Message memory m = _deposit(user, 1e6);
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        hub.receiveDeposit(m, proof);
    }

    // ------------------------------------------------------------------ withdrawals

    function test_requestWithdrawal_debitsAndEmitsMessage() public {
        _credit(user, 600e6);
        IMessageVerifier.Message memory expected = IMessageVerifier.Message({
            kind: 2,
            srcChainId: uint64(block.chainid),
            srcContract: address(hub),
            dstChainId: SPOKE_CHAIN,
            dstContract: SPOKE,
            nonce: 1,
            user: user,
            amount: 200e6
        });
        bytes32 id = _id(uint64(block.chainid), address(hub), 1);
        vm.expectEmit(true, true, true, true, address(hub));
        emit ICollateralHub.WithdrawalRequested(id, user, SPOKE_CHAIN, 200e6, address(vault), expected);
        vm.prank(user);
        bytes32 got = hub.requestWithdrawal(SPOKE_CHAIN, 200e6);
        assertEq(got, id, "id");
        assertEq(vault.externalCreditOf(user), 400e6, "debited");
        assertEq(hub.creditedFrom(user, SPOKE_CHAIN), 400e6, "per-spoke credit");
        assertEq(uint256(hub.outboundNonce()), 1, "nonce");
    }

    function test_RevertWhen_withdrawBySomeoneElse() public {
        _credit(user, 600e6);
        // the stranger has nothing of their own and cannot name the user
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralHub.InsufficientSpokeCredit.selector, stranger, SPOKE_CHAIN, 1e6, 0)
        );
        hub.requestWithdrawal(SPOKE_CHAIN, 1e6);
        assertEq(vault.externalCreditOf(user), 600e6, "user untouched");
    }

    function test_RevertWhen_withdrawMoreThanCreditedFromSpoke() public {
        _credit(user, 600e6);
        vm.prank(user);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralHub.InsufficientSpokeCredit.selector, user, SPOKE_CHAIN, 601e6, 600e6)
        );
        hub.requestWithdrawal(SPOKE_CHAIN, 601e6);
    }

    function test_RevertWhen_withdrawMarginBackingPositions() public {
        _credit(user, 600e6);
        _lockMargin(vault, user, 500e6);
        vm.prank(user);
        // the vault's free-collateral rule refuses margin backing the open position; nothing leaves
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, user, 200e6, 100e6));
        hub.requestWithdrawal(SPOKE_CHAIN, 200e6);
        assertEq(hub.creditedFrom(user, SPOKE_CHAIN), 600e6, "unchanged");
        assertEq(uint256(hub.outboundNonce()), 0, "no message");
    }

    function test_RevertWhen_withdrawToUnknownSpoke() public {
        _credit(user, 600e6);
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(ICollateralHub.SpokeNotEnabled.selector, uint64(10)));
        hub.requestWithdrawal(10, 1e6);
    }

    function test_RevertWhen_withdrawPaused() public {
        _credit(user, 600e6);
        vm.prank(operatorAcct);
        hub.pause();
        vm.prank(user);
        vm.expectRevert(PausableUpgradeable.EnforcedPause.selector);
        hub.requestWithdrawal(SPOKE_CHAIN, 1e6);
    }

    function _userSig(uint256 pk, address who, uint256 amount, uint256 deadline) internal view returns (bytes memory) {
        bytes32 digest = hub.withdrawalDigest(who, SPOKE_CHAIN, amount, hub.nonces(who), deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    function test_requestWithdrawalWithSig_relayedByAnyone() public {
        _credit(user, 600e6);
        bytes memory sig = _userSig(USER_PK, user, 150e6, block.timestamp + 1 hours);
        vm.prank(stranger);
        hub.requestWithdrawalWithSig(user, SPOKE_CHAIN, 150e6, block.timestamp + 1 hours, sig);
        assertEq(vault.externalCreditOf(user), 450e6, "debited");
        assertEq(hub.nonces(user), 1, "nonce used");
        vm.expectRevert(abi.encodeWithSelector(ICollateralHub.InvalidUserSignature.selector, user));
        hub.requestWithdrawalWithSig(user, SPOKE_CHAIN, 150e6, block.timestamp + 1 hours, sig);
    }

    function test_RevertWhen_withdrawWithSigOfSomeoneElse() public {
        _credit(user, 600e6);
        bytes memory sig = _userSig(PK_OUTSIDER, user, 150e6, block.timestamp + 1 hours);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICollateralHub.InvalidUserSignature.selector, user));
        hub.requestWithdrawalWithSig(user, SPOKE_CHAIN, 150e6, block.timestamp + 1 hours, sig);
    }

    function test_RevertWhen_withdrawWithSigAlteredAmount() public {
        _credit(user, 600e6);
        bytes memory sig = _userSig(USER_PK, user, 150e6, block.timestamp + 1 hours);
        vm.expectRevert(abi.encodeWithSelector(ICollateralHub.InvalidUserSignature.selector, user));
        hub.requestWithdrawalWithSig(user, SPOKE_CHAIN, 600e6, block.timestamp + 1 hours, sig);
    }

    function test_RevertWhen_withdrawWithSigExpired() public {
        _credit(user, 600e6);
        uint256 deadline = block.timestamp + 10;
        bytes memory sig = _userSig(USER_PK, user, 150e6, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ICollateralHub.SignatureExpired.selector, deadline, deadline + 1));
        hub.requestWithdrawalWithSig(user, SPOKE_CHAIN, 150e6, deadline, sig);
    }

    // ------------------------------------------------------------------ setCoreVaultParams

    function test_setCoreVaultParams_newCreditsGoToNewVault() public {
        _credit(user, 100e6);
        ICoreVault next = _deployVault(usdc, admin);
        _grantCreditor(next, admin, address(hub));
        address newOperator = address(0x0C);
        vm.expectEmit(true, true, true, true, address(hub));
        emit ICollateralHub.CoreVaultParamsSet(address(vault), address(next), operatorAcct, newOperator);
        vm.prank(admin);
        hub.setCoreVaultParams(address(next), newOperator);
        assertEq(hub.coreVault(), address(next), "vault");
        assertEq(hub.operator(), newOperator, "operator");
        assertTrue(hub.hasRole(hub.OPERATOR_ROLE(), newOperator), "new operator role");
        assertFalse(hub.hasRole(hub.OPERATOR_ROLE(), operatorAcct), "old operator revoked");

        _credit(user, 70e6); // same spoke, same message format, nothing changed there
        assertEq(next.externalCreditOf(user), 70e6, "new vault credited");
        assertEq(vault.externalCreditOf(user), 100e6, "old vault untouched");
    }

    function test_RevertWhen_setCoreVaultParams_notAdmin() public {
        _expectUnauthorized(operatorAcct, bytes32(0));
        vm.prank(operatorAcct);
        hub.setCoreVaultParams(stranger, stranger);
    }

    function test_RevertWhen_setCoreVaultParams_zero() public {
        vm.prank(admin);
        vm.expectRevert(ICollateralErrors.ZeroAddress.selector);
        hub.setCoreVaultParams(address(0), stranger);
    }

    // ------------------------------------------------------------------ wrong callers

    function _expectUnauthorized(address who, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role));
    }

    function test_RevertWhen_setSpoke_notAdmin() public {
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        hub.setSpoke(1, stranger, true, _limits(1, 1));
    }

    function test_RevertWhen_setVerifier_notAdmin() public {
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        hub.setVerifier(IMessageVerifier(stranger));
    }

    function test_RevertWhen_pause_byStranger() public {
        bytes32 role = hub.PAUSER_ROLE();
        _expectUnauthorized(stranger, role);
        vm.prank(stranger);
        hub.pause();
    }

    function test_RevertWhen_unpause_byOperator() public {
        vm.prank(operatorAcct);
        hub.pause();
        _expectUnauthorized(operatorAcct, bytes32(0));
        vm.prank(operatorAcct);
        hub.unpause();
    }

    function test_RevertWhen_upgrade_notAdmin() public {
        CollateralHub next = new CollateralHub();
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        hub.upgradeToAndCall(address(next), "");
    }

    function test_RevertWhen_grantRole_notAdmin() public {
        bytes32 pauser = hub.PAUSER_ROLE();
        _expectUnauthorized(operatorAcct, bytes32(0));
        vm.prank(operatorAcct);
        hub.grantRole(pauser, operatorAcct);
        bytes32 op = hub.OPERATOR_ROLE();
        _expectUnauthorized(stranger, bytes32(0));
        vm.prank(stranger);
        hub.revokeRole(op, operatorAcct);
    }

    function test_RevertWhen_initializeTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        hub.initialize(stranger, stranger, stranger, verifier);
    }

    function test_RevertWhen_implementationInitialized() public {
        CollateralHub impl = new CollateralHub();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(stranger, stranger, stranger, verifier);
    }

    function test_setSpoke_enumeratesChains() public {
        vm.startPrank(admin);
        hub.setSpoke(10, stranger, true, _limits(1, 1));
        hub.setSpoke(SPOKE_CHAIN, SPOKE, true, _limits(2, 2)); // update, not a new entry
        vm.stopPrank();
        uint64[] memory ids = hub.spokeChainIds();
        assertEq(ids.length, 2, "two spokes");
        assertEq(uint256(ids[1]), 10, "second");
        assertEq(uint256(hub.spokeConfig(SPOKE_CHAIN).limits.maxPerMessage), 2, "updated");
    }

    function test_upgrade_keepsConsumedMessages() public {
        IMessageVerifier.Message memory m = _credit(user, 100e6);
        CollateralHub next = new CollateralHub();
        vm.prank(admin);
        hub.upgradeToAndCall(address(next), "");
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert();
        hub.receiveDeposit(m, proof);
        assertEq(hub.creditedFrom(user, SPOKE_CHAIN), 100e6, "state kept");
    }

    /// @notice A message id is credited at most once, whatever the signer pair delivering it.
    function testFuzz_receiveDeposit_creditedAtMostOnce(uint256 amount, uint8 pair) public {
        amount = bound(amount, 1, 1_000e6);
        IMessageVerifier.Message memory m = _credit(user, amount);
        uint256[] memory keys = pair % 3 == 0
            ? _keys(PK1, PK2)
            : pair % 3 == 1
                ? _keys(PK2, PK3)
                : _keys(PK1, PK3);
        bytes memory proof = _sign(verifier, m, keys);
        vm.expectRevert();
        hub.receiveDeposit(m, proof);
        assertEq(vault.externalCreditOf(user), amount, "once");
    }
}
