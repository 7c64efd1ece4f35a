// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMessageVerifier} from "./IMessageVerifier.sol";
import {ICollateralErrors} from "./ICollateralErrors.sol";

/// @title ISpokeVault
/// @notice Spoke-chain end of cross-chain collateral. Holds the real USDC: a deposit keeps the
/// tokens here and emits a deposit message for the hub; tokens leave only against a verified
/// withdrawal message from the hub, each consumed exactly once. There is no other way out.
/// @dev Roles: DEFAULT_ADMIN_ROLE (wiring, limits, unpause, upgrades), PAUSER_ROLE (pause).
interface ISpokeVault is ICollateralErrors {
    event HubSet(uint64 indexed hubChainId, address indexed hub);
    event LimitsSet(Limits depositLimits, Limits releaseLimits);
    /// @notice USDC was taken in; `message` is what the hub must receive.
    event DepositSent(
        bytes32 indexed messageId,
        address indexed user,
        uint64 indexed nonce,
        uint256 amount,
        IMessageVerifier.Message message
    );
    /// @notice A verified withdrawal message was consumed and `amount` USDC paid to `user`.
    event WithdrawalReleased(bytes32 indexed messageId, address indexed user, uint64 indexed nonce, uint256 amount);

    /// @notice Pull `amount` USDC from the caller and emit a deposit message crediting the caller
    /// on the hub. Refused while paused or above the deposit limits.
    function deposit(uint256 amount) external returns (bytes32 messageId);

    /// @notice Pay a withdrawal the hub sent, once verified by the adapter. Permissionless (anyone
    /// may deliver); refused while paused, for a consumed message, or above the release limits.
    function receiveWithdrawal(IMessageVerifier.Message calldata message, bytes calldata proof) external;

    /// @notice DEFAULT_ADMIN_ROLE.
    function setHub(uint64 hubChainId, address hub) external;

    /// @notice DEFAULT_ADMIN_ROLE.
    function setVerifier(IMessageVerifier newVerifier) external;

    /// @notice DEFAULT_ADMIN_ROLE.
    function setLimits(Limits calldata depositLimits, Limits calldata releaseLimits) external;

    /// @notice PAUSER_ROLE.
    function pause() external;

    /// @notice DEFAULT_ADMIN_ROLE.
    function unpause() external;

    function usdc() external view returns (address);
    function hub() external view returns (uint64 hubChainId, address hubAddress);
    function depositNonce() external view returns (uint64);
    function limits() external view returns (Limits memory depositLimits, Limits memory releaseLimits);
    function depositWindow() external view returns (Window memory);
    function releaseWindow() external view returns (Window memory);
    function totalDeposited() external view returns (uint256);
    function totalReleased() external view returns (uint256);
}
