// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMessageVerifier} from "./IMessageVerifier.sol";
import {ICollateralErrors} from "./ICollateralErrors.sol";

/// @title ICollateralHub
/// @notice Hub-chain end of cross-chain collateral. Deposit messages from registered spokes credit
/// users on CoreVault with `creditExternal` (the USDC stays on the spoke); withdrawals debit with
/// `debitExternal` and emit a message that lets the user's spoke release the USDC.
/// @dev Roles: DEFAULT_ADMIN_ROLE (wiring, limits, unpause, upgrades), OPERATOR_ROLE (pause; one
/// holder, set together with the vault by `setCoreVaultParams`), PAUSER_ROLE (pause).
/// Delivery of a deposit is permissionless: authenticity comes from the verifier, never the caller.
interface ICollateralHub is ICollateralErrors {
    /// @notice A registered spoke: one SpokeVault per source chain id.
    struct SpokeConfig {
        address spoke;
        bool enabled;
        Limits limits;
    }

    event CoreVaultParamsSet(
        address indexed previousVault,
        address indexed newVault,
        address previousOperator,
        address indexed newOperator
    );
    event SpokeSet(uint64 indexed chainId, address indexed spoke, bool enabled, Limits limits);
    /// @notice A deposit message was verified and credited on `vault`.
    event DepositCredited(
        bytes32 indexed messageId,
        address indexed user,
        uint64 indexed srcChainId,
        address spoke,
        uint64 nonce,
        uint256 amount,
        address vault
    );
    /// @notice A withdrawal was debited on `vault`; `message` is what the spoke must receive.
    event WithdrawalRequested(
        bytes32 indexed messageId,
        address indexed user,
        uint64 indexed dstChainId,
        uint256 amount,
        address vault,
        IMessageVerifier.Message message
    );

    error SpokeNotEnabled(uint64 chainId);
    error SignatureExpired(uint256 deadline, uint256 nowTs);
    error InvalidUserSignature(address user);
    error InsufficientSpokeCredit(address user, uint64 chainId, uint256 requested, uint256 credited);

    /// @notice Verify a deposit message from a registered spoke and credit its user on the current
    /// vault, exactly once per (srcChainId, spoke, nonce). Refused while paused.
    function receiveDeposit(IMessageVerifier.Message calldata message, bytes calldata proof) external;

    /// @notice The caller withdraws `amount` of their externally credited collateral back to their
    /// address on the spoke of `dstChainId` (only up to what they were credited from that spoke).
    function requestWithdrawal(uint64 dstChainId, uint256 amount) external returns (bytes32 messageId);

    /// @notice Same as `requestWithdrawal`, submitted by anyone with `user`'s EIP-712 signature over
    /// `Withdrawal(address user,uint64 dstChainId,uint256 amount,uint256 nonce,uint256 deadline)`
    /// (ERC-1271 accepted for contract wallets). The nonce is `nonces(user)`, consumed.
    function requestWithdrawalWithSig(
        address user,
        uint64 dstChainId,
        uint256 amount,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 messageId);

    /// @notice DEFAULT_ADMIN_ROLE: point the hub at a new CoreVault and operator (runbook step 3).
    /// Spokes need no change. The hub must hold EXTERNAL_CREDITOR_ROLE on `newVault`.
    function setCoreVaultParams(address newVault, address operator) external;

    /// @notice DEFAULT_ADMIN_ROLE: register, update or disable the spoke of `chainId`.
    function setSpoke(uint64 chainId, address spoke, bool enabled, Limits calldata limits) external;

    /// @notice DEFAULT_ADMIN_ROLE: swap the message adapter (e.g. threshold signatures -> a bridge).
    function setVerifier(IMessageVerifier newVerifier) external;

    /// @notice PAUSER_ROLE or OPERATOR_ROLE.
    function pause() external;

    /// @notice DEFAULT_ADMIN_ROLE.
    function unpause() external;

    function coreVault() external view returns (address);
    function operator() external view returns (address);
    function spokeConfig(uint64 chainId) external view returns (SpokeConfig memory);
    function spokeChainIds() external view returns (uint64[] memory);
    function creditedFrom(address user, uint64 chainId) external view returns (uint256);
    function creditWindow(uint64 chainId) external view returns (Window memory);
    function withdrawWindow(uint64 chainId) external view returns (Window memory);
    function outboundNonce() external view returns (uint64);
    function withdrawalDigest(
        address user,
        uint64 dstChainId,
        uint256 amount,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);
}
