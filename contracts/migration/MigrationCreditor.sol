// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IMigrationCreditor} from "../interfaces/IMigrationCreditor.sol";
import {ICoreVault} from "../interfaces/ICoreVault.sol";

/// @title MigrationCreditor
/// @notice See IMigrationCreditor. Immutable by design: one snapshot, one root, one vault; the
/// vault's admin grants it EXTERNAL_CREDITOR_ROLE for the migration and revokes it afterwards.
contract MigrationCreditor is IMigrationCreditor {
    ICoreVault private immutable _VAULT;
    bytes32 private immutable _ROOT;
    uint256 private immutable _TOTAL;

    uint256 private _claimedTotal;
    mapping(address user => bool) private _claimed;

    constructor(address vault_, bytes32 root_, uint256 total_) {
        if (vault_ == address(0)) revert ZeroAddress();
        _VAULT = ICoreVault(vault_);
        _ROOT = root_;
        _TOTAL = total_;
    }

    /// @inheritdoc IMigrationCreditor
    function claim(address user, uint256 amount, bytes32[] calldata proof) external {
        if (_claimed[user]) revert AlreadyClaimed(user);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(user, amount))));
        if (!MerkleProof.verifyCalldata(proof, _ROOT, leaf)) revert InvalidProof(user, amount);
        uint256 next = _claimedTotal + amount;
        if (next > _TOTAL) revert ClaimsExceedTotal(next, _TOTAL);
        _claimed[user] = true;
        _claimedTotal = next;
        emit MigrationClaimed(user, amount, msg.sender);
        _VAULT.creditExternal(user, amount);
    }

    /// @inheritdoc IMigrationCreditor
    function vault() external view returns (address) {
        return address(_VAULT);
    }

    /// @inheritdoc IMigrationCreditor
    function merkleRoot() external view returns (bytes32) {
        return _ROOT;
    }

    /// @inheritdoc IMigrationCreditor
    function total() external view returns (uint256) {
        return _TOTAL;
    }

    /// @inheritdoc IMigrationCreditor
    function claimedTotal() external view returns (uint256) {
        return _claimedTotal;
    }

    /// @inheritdoc IMigrationCreditor
    function claimed(address user) external view returns (bool) {
        return _claimed[user];
    }
}
