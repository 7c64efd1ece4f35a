// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ICoreVault} from "../interfaces/ICoreVault.sol";
import {IMessageVerifier} from "../interfaces/IMessageVerifier.sol";
import {ICollateralHub} from "../interfaces/ICollateralHub.sol";
import {ICollateralErrors} from "../interfaces/ICollateralErrors.sol";
import {HubStorage} from "./HubStorage.sol";
import {MessageLib} from "./MessageLib.sol";
import {RateLimitLib} from "./RateLimitLib.sol";

/// @title CollateralHub
/// @notice Hub-chain end of cross-chain collateral (see ICollateralHub).
/// @dev UUPS proxy: the set of consumed message ids must outlive any logic fix (a redeployed hub
/// would forget what it credited, which is a replay waiting to happen), and the vault it credits is
/// configuration (`setCoreVaultParams`), not code. All state sits in HubStorage (ERC-7201); the OZ
/// upgradeable bases keep theirs in their own namespaces, so nothing lives in slot 0.
contract CollateralHub is
    ICollateralHub,
    AccessControlUpgradeable,
    PausableUpgradeable,
    NoncesUpgradeable,
    EIP712Upgradeable,
    UUPSUpgradeable
{
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant WITHDRAWAL_TYPEHASH =
        keccak256("Withdrawal(address user,uint64 dstChainId,uint256 amount,uint256 nonce,uint256 deadline)");

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(
        address admin,
        address vault,
        address operator_,
        IMessageVerifier verifier_
    ) external initializer {
        if (admin == address(0) || address(verifier_) == address(0)) revert ZeroAddress();
        __AccessControl_init();
        __Pausable_init();
        __Nonces_init();
        __EIP712_init("Dexetra CollateralHub", "1");
        __UUPSUpgradeable_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setCoreVaultParams(vault, operator_);
        _setVerifier(verifier_);
    }

    // ------------------------------------------------------------------ messages in

    /// @inheritdoc ICollateralHub
    function receiveDeposit(IMessageVerifier.Message calldata m, bytes calldata proof) external whenNotPaused {
        HubStorage.Layout storage s = HubStorage.load();
        if (m.kind != MessageLib.KIND_DEPOSIT) revert WrongMessageKind(m.kind, MessageLib.KIND_DEPOSIT);
        if (m.dstChainId != block.chainid || m.dstContract != address(this)) {
            revert WrongDestination(m.dstChainId, m.dstContract);
        }
        SpokeConfig storage sp = s.spokes[m.srcChainId];
        if (sp.spoke == address(0) || sp.spoke != m.srcContract) revert UnknownSource(m.srcChainId, m.srcContract);
        if (!sp.enabled) revert SpokeNotEnabled(m.srcChainId);
        if (m.amount == 0) revert ZeroAmount();
        bytes32 id = MessageLib.id(m.srcChainId, m.srcContract, m.nonce);
        if (s.processed[id]) revert MessageAlreadyProcessed(id, m.srcChainId, m.srcContract, m.nonce);
        s.verifier.verifyMessage(m, proof);

        s.processed[id] = true;
        RateLimitLib.consume(s.creditWindows[m.srcChainId], sp.limits, m.amount);
        s.creditedFrom[m.user][m.srcChainId] += m.amount;
        address vault = s.coreVault;
        ICoreVault(vault).creditExternal(m.user, m.amount);
        emit DepositCredited(id, m.user, m.srcChainId, m.srcContract, m.nonce, m.amount, vault);
    }

    // ------------------------------------------------------------------ withdrawals out

    /// @inheritdoc ICollateralHub
    function requestWithdrawal(uint64 dstChainId, uint256 amount) external whenNotPaused returns (bytes32) {
        return _withdraw(msg.sender, dstChainId, amount);
    }

    /// @inheritdoc ICollateralHub
    function requestWithdrawalWithSig(
        address user,
        uint64 dstChainId,
        uint256 amount,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32) {
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        bytes32 digest = withdrawalDigest(user, dstChainId, amount, _useNonce(user), deadline);
        if (!SignatureChecker.isValidSignatureNow(user, digest, signature)) revert InvalidUserSignature(user);
        return _withdraw(user, dstChainId, amount);
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc ICollateralHub
    function setCoreVaultParams(address newVault, address operator_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setCoreVaultParams(newVault, operator_);
    }

    /// @inheritdoc ICollateralHub
    function setSpoke(
        uint64 chainId,
        address spoke,
        bool enabled,
        Limits calldata limits
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (spoke == address(0)) revert ZeroAddress();
        RateLimitLib.validate(limits);
        HubStorage.Layout storage s = HubStorage.load();
        SpokeConfig storage sp = s.spokes[chainId];
        if (sp.spoke == address(0)) s.spokeChainIds.push(chainId);
        sp.spoke = spoke;
        sp.enabled = enabled;
        sp.limits = limits;
        emit SpokeSet(chainId, spoke, enabled, limits);
    }

    /// @inheritdoc ICollateralHub
    function setVerifier(IMessageVerifier newVerifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setVerifier(newVerifier);
    }

    /// @inheritdoc ICollateralHub
    function pause() external {
        if (!hasRole(PAUSER_ROLE, msg.sender) && !hasRole(OPERATOR_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, PAUSER_ROLE);
        }
        _pause();
    }

    /// @inheritdoc ICollateralHub
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ICollateralErrors
    function isProcessed(bytes32 messageId) external view returns (bool) {
        return HubStorage.load().processed[messageId];
    }

    /// @inheritdoc ICollateralErrors
    function verifier() external view returns (IMessageVerifier) {
        return HubStorage.load().verifier;
    }

    /// @inheritdoc ICollateralHub
    function coreVault() external view returns (address) {
        return HubStorage.load().coreVault;
    }

    /// @inheritdoc ICollateralHub
    function operator() external view returns (address) {
        return HubStorage.load().operator;
    }

    /// @inheritdoc ICollateralHub
    function spokeConfig(uint64 chainId) external view returns (SpokeConfig memory) {
        return HubStorage.load().spokes[chainId];
    }

    /// @inheritdoc ICollateralHub
    function spokeChainIds() external view returns (uint64[] memory) {
        return HubStorage.load().spokeChainIds;
    }

    /// @inheritdoc ICollateralHub
    function creditedFrom(address user, uint64 chainId) external view returns (uint256) {
        return HubStorage.load().creditedFrom[user][chainId];
    }

    /// @inheritdoc ICollateralHub
    function creditWindow(uint64 chainId) external view returns (Window memory) {
        return HubStorage.load().creditWindows[chainId];
    }

    /// @inheritdoc ICollateralHub
    function withdrawWindow(uint64 chainId) external view returns (Window memory) {
        return HubStorage.load().withdrawWindows[chainId];
    }

    /// @inheritdoc ICollateralHub
    function outboundNonce() external view returns (uint64) {
        return HubStorage.load().outboundNonce;
    }

    /// @inheritdoc ICollateralHub
    function withdrawalDigest(
        address user,
        uint64 dstChainId,
        uint256 amount,
        uint256 nonce,
        uint256 deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(WITHDRAWAL_TYPEHASH, user, dstChainId, amount, nonce, deadline)));
    }

    // ------------------------------------------------------------------ internals

    function _withdraw(address user, uint64 dstChainId, uint256 amount) private returns (bytes32 id) {
        if (amount == 0) revert ZeroAmount();
        HubStorage.Layout storage s = HubStorage.load();
        SpokeConfig storage sp = s.spokes[dstChainId];
        if (sp.spoke == address(0) || !sp.enabled) revert SpokeNotEnabled(dstChainId);
        // Externally credited USDC stays on the spoke it came from: it can only go back there.
        uint256 credited = s.creditedFrom[user][dstChainId];
        if (amount > credited) revert InsufficientSpokeCredit(user, dstChainId, amount, credited);
        RateLimitLib.consume(s.withdrawWindows[dstChainId], sp.limits, amount);
        s.creditedFrom[user][dstChainId] = credited - amount;
        uint64 nonce = ++s.outboundNonce;
        IMessageVerifier.Message memory m = IMessageVerifier.Message({
            kind: MessageLib.KIND_WITHDRAWAL,
            srcChainId: uint64(block.chainid),
            srcContract: address(this),
            dstChainId: dstChainId,
            dstContract: sp.spoke,
            nonce: nonce,
            user: user,
            amount: amount
        });
        id = MessageLib.id(uint64(block.chainid), address(this), nonce);
        address vault = s.coreVault;
        // Refuses margin that backs open positions (free-collateral rule) and anything beyond the
        // user's outstanding external credit on this vault: the whole request reverts then.
        ICoreVault(vault).debitExternal(user, amount);
        emit WithdrawalRequested(id, user, dstChainId, amount, vault, m);
    }

    function _setCoreVaultParams(address newVault, address newOperator) private {
        if (newVault == address(0) || newOperator == address(0)) revert ZeroAddress();
        HubStorage.Layout storage s = HubStorage.load();
        address previousVault = s.coreVault;
        address previousOperator = s.operator;
        s.coreVault = newVault;
        s.operator = newOperator;
        if (previousOperator != address(0)) _revokeRole(OPERATOR_ROLE, previousOperator);
        _grantRole(OPERATOR_ROLE, newOperator);
        emit CoreVaultParamsSet(previousVault, newVault, previousOperator, newOperator);
    }

    function _setVerifier(IMessageVerifier newVerifier) private {
        if (address(newVerifier) == address(0)) revert ZeroAddress();
        HubStorage.Layout storage s = HubStorage.load();
        address previous = address(s.verifier);
        s.verifier = newVerifier;
        emit VerifierSet(previous, address(newVerifier));
    }

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
