// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IMessageVerifier} from "../interfaces/IMessageVerifier.sol";
import {ISpokeVault} from "../interfaces/ISpokeVault.sol";
import {ICollateralErrors} from "../interfaces/ICollateralErrors.sol";
import {SpokeStorage} from "./SpokeStorage.sol";
import {MessageLib} from "./MessageLib.sol";
import {RateLimitLib} from "./RateLimitLib.sol";

/// @title SpokeVault
/// @notice Spoke-chain end of cross-chain collateral (see ISpokeVault).
/// @dev UUPS proxy for the same reason as the hub: it custodies the USDC and the consumed-message
/// set, neither of which may be lost to a redeploy. State in SpokeStorage (ERC-7201). There is no
/// admin sweep: USDC leaves only through `receiveWithdrawal`.
contract SpokeVault is ISpokeVault, AccessControlUpgradeable, PausableUpgradeable, UUPSUpgradeable {
    using SafeERC20 for IERC20;

    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(
        address admin,
        IERC20 usdc_,
        uint64 hubChainId,
        address hub_,
        IMessageVerifier verifier_,
        Limits calldata depositLimits,
        Limits calldata releaseLimits
    ) external initializer {
        if (admin == address(0) || address(usdc_) == address(0)) revert ZeroAddress();
        uint8 dec = IERC20Metadata(address(usdc_)).decimals();
        if (dec != 6) revert InvalidCollateralDecimals(address(usdc_), dec);
        __AccessControl_init();
        __Pausable_init();
        __UUPSUpgradeable_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        SpokeStorage.load().usdc = usdc_;
        _setHub(hubChainId, hub_);
        _setVerifier(verifier_);
        _setLimits(depositLimits, releaseLimits);
    }

    /// @inheritdoc ISpokeVault
    function deposit(uint256 amount) external whenNotPaused returns (bytes32 id) {
        if (amount == 0) revert ZeroAmount();
        SpokeStorage.Layout storage s = SpokeStorage.load();
        RateLimitLib.consume(s.depositWindow, s.depositLimits, amount);
        uint64 nonce = ++s.depositNonce;
        s.totalDeposited += amount;
        IMessageVerifier.Message memory m = IMessageVerifier.Message({
            kind: MessageLib.KIND_DEPOSIT,
            srcChainId: uint64(block.chainid),
            srcContract: address(this),
            dstChainId: s.hubChainId,
            dstContract: s.hub,
            nonce: nonce,
            user: msg.sender,
            amount: amount
        });
        id = MessageLib.id(uint64(block.chainid), address(this), nonce);
        s.usdc.safeTransferFrom(msg.sender, address(this), amount);
        emit DepositSent(id, msg.sender, nonce, amount, m);
    }

    /// @inheritdoc ISpokeVault
    function receiveWithdrawal(IMessageVerifier.Message calldata m, bytes calldata proof) external whenNotPaused {
        SpokeStorage.Layout storage s = SpokeStorage.load();
        if (m.kind != MessageLib.KIND_WITHDRAWAL) revert WrongMessageKind(m.kind, MessageLib.KIND_WITHDRAWAL);
        if (m.dstChainId != block.chainid || m.dstContract != address(this)) {
            revert WrongDestination(m.dstChainId, m.dstContract);
        }
        if (m.srcChainId != s.hubChainId || m.srcContract != s.hub) revert UnknownSource(m.srcChainId, m.srcContract);
        if (m.amount == 0) revert ZeroAmount();
        bytes32 id = MessageLib.id(m.srcChainId, m.srcContract, m.nonce);
        if (s.processed[id]) revert MessageAlreadyProcessed(id, m.srcChainId, m.srcContract, m.nonce);
        s.verifier.verifyMessage(m, proof);

        s.processed[id] = true;
        RateLimitLib.consume(s.releaseWindow, s.releaseLimits, m.amount);
        s.totalReleased += m.amount;
        s.usdc.safeTransfer(m.user, m.amount);
        emit WithdrawalReleased(id, m.user, m.nonce, m.amount);
    }

    /// @inheritdoc ISpokeVault
    function setHub(uint64 hubChainId, address hub_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setHub(hubChainId, hub_);
    }

    /// @inheritdoc ISpokeVault
    function setVerifier(IMessageVerifier newVerifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setVerifier(newVerifier);
    }

    /// @inheritdoc ISpokeVault
    function setLimits(
        Limits calldata depositLimits,
        Limits calldata releaseLimits
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLimits(depositLimits, releaseLimits);
    }

    /// @inheritdoc ISpokeVault
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ISpokeVault
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ICollateralErrors
    function isProcessed(bytes32 messageId) external view returns (bool) {
        return SpokeStorage.load().processed[messageId];
    }

    /// @inheritdoc ICollateralErrors
    function verifier() external view returns (IMessageVerifier) {
        return SpokeStorage.load().verifier;
    }

    /// @inheritdoc ISpokeVault
    function usdc() external view returns (address) {
        return address(SpokeStorage.load().usdc);
    }

    /// @inheritdoc ISpokeVault
    function hub() external view returns (uint64 hubChainId, address hubAddress) {
        SpokeStorage.Layout storage s = SpokeStorage.load();
        return (s.hubChainId, s.hub);
    }

    /// @inheritdoc ISpokeVault
    function depositNonce() external view returns (uint64) {
        return SpokeStorage.load().depositNonce;
    }

    /// @inheritdoc ISpokeVault
    function limits() external view returns (Limits memory depositLimits, Limits memory releaseLimits) {
        SpokeStorage.Layout storage s = SpokeStorage.load();
        return (s.depositLimits, s.releaseLimits);
    }

    /// @inheritdoc ISpokeVault
    function depositWindow() external view returns (Window memory) {
        return SpokeStorage.load().depositWindow;
    }

    /// @inheritdoc ISpokeVault
    function releaseWindow() external view returns (Window memory) {
        return SpokeStorage.load().releaseWindow;
    }

    /// @inheritdoc ISpokeVault
    function totalDeposited() external view returns (uint256) {
        return SpokeStorage.load().totalDeposited;
    }

    /// @inheritdoc ISpokeVault
    function totalReleased() external view returns (uint256) {
        return SpokeStorage.load().totalReleased;
    }

    // ------------------------------------------------------------------ internals

    function _setHub(uint64 hubChainId, address hub_) private {
        if (hub_ == address(0) || hubChainId == 0) revert ZeroAddress();
        SpokeStorage.Layout storage s = SpokeStorage.load();
        s.hubChainId = hubChainId;
        s.hub = hub_;
        emit HubSet(hubChainId, hub_);
    }

    function _setVerifier(IMessageVerifier newVerifier) private {
        if (address(newVerifier) == address(0)) revert ZeroAddress();
        SpokeStorage.Layout storage s = SpokeStorage.load();
        address previous = address(s.verifier);
        s.verifier = newVerifier;
        emit VerifierSet(previous, address(newVerifier));
    }

    function _setLimits(Limits calldata depositLimits, Limits calldata releaseLimits) private {
        RateLimitLib.validate(depositLimits);
        RateLimitLib.validate(releaseLimits);
        SpokeStorage.Layout storage s = SpokeStorage.load();
        s.depositLimits = depositLimits;
        s.releaseLimits = releaseLimits;
        emit LimitsSet(depositLimits, releaseLimits);
    }

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
