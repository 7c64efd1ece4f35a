// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IMigrationCreditor
/// @notice Gasless migration path after a CoreVault redeploy: the snapshot of the old (paused)
/// vault's balances becomes a Merkle root; each user (or a keeper on their behalf) claims once and
/// is credited on the new vault with `creditExternal`. Leaves are OpenZeppelin StandardMerkleTree
/// leaves of `(address user, uint256 amount)`; amounts in USDC (6 decimals).
interface IMigrationCreditor {
    /// @notice `user` was credited `amount` on the vault.
    event MigrationClaimed(address indexed user, uint256 amount, address indexed by);

    error AlreadyClaimed(address user);
    error InvalidProof(address user, uint256 amount);
    error ZeroAddress();
    error ClaimsExceedTotal(uint256 claimed, uint256 total);

    /// @notice Credit `user` with `amount` on the vault if the proof matches the root; once per user.
    /// Anyone may call (a keeper claims for users without gas); the credit always goes to `user`.
    function claim(address user, uint256 amount, bytes32[] calldata proof) external;

    /// @notice The vault credited by claims.
    function vault() external view returns (address);

    /// @notice Root of the snapshot tree.
    function merkleRoot() external view returns (bytes32);

    /// @notice Sum of all leaves: claims can never exceed it.
    function total() external view returns (uint256);

    /// @notice Sum claimed so far.
    function claimedTotal() external view returns (uint256);

    function claimed(address user) external view returns (bool);
}
