// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IMessageVerifier} from "../interfaces/IMessageVerifier.sol";
import {IThresholdVerifier} from "../interfaces/IThresholdVerifier.sol";
import {MessageLib} from "./MessageLib.sol";

/// @title ThresholdVerifier
/// @notice m-of-n EIP-712 signature adapter for collateral messages.
/// @dev Deliberately a plain (non-proxy) contract: it holds no funds and no replay state, only a
/// signer set the admin rotates, and the hub/spoke replace it with one `setVerifier` call. Its
/// inherited AccessControl slot is therefore never shared with another implementation. The EIP-712
/// domain lives in immutables, bound to this address and chain.
contract ThresholdVerifier is IThresholdVerifier, AccessControl, EIP712 {
    uint256 public constant MIN_THRESHOLD = 2;
    uint256 public constant MAX_SIGNERS = 32;

    uint64 private _epoch;
    uint256 private _threshold;
    address[] private _signers;
    mapping(address signer => uint64 epoch) private _signerEpoch;

    constructor(
        address admin,
        address[] memory initialSigners,
        uint256 initialThreshold
    ) EIP712("Dexetra ThresholdVerifier", "1") {
        if (admin == address(0)) revert InvalidSigner(admin);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _rotate(initialSigners, initialThreshold);
    }

    /// @inheritdoc IThresholdVerifier
    function rotateSigners(address[] calldata newSigners, uint256 newThreshold) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _rotate(newSigners, newThreshold);
    }

    /// @inheritdoc IMessageVerifier
    function verifyMessage(Message calldata message, bytes calldata proof) external view {
        if (proof.length % 65 != 0) revert MalformedProof(proof.length);
        uint256 n = proof.length / 65;
        uint256 t = _threshold;
        if (n < t) revert NotEnoughSignatures(n, t);
        bytes32 digest = _hashTypedDataV4(MessageLib.structHash(message));
        uint64 current = _epoch;
        address previous;
        for (uint256 i; i < n; ++i) {
            uint256 o = i * 65;
            bytes32 r = bytes32(proof[o:o + 32]);
            bytes32 s = bytes32(proof[o + 32:o + 64]);
            uint8 v = uint8(proof[o + 64]);
            (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
            if (err != ECDSA.RecoverError.NoError) revert InvalidSignature(i);
            if (signer <= previous) revert SignersNotAscending(i, signer, previous);
            if (_signerEpoch[signer] != current) revert UnknownSigner(i, signer);
            previous = signer;
        }
    }

    /// @inheritdoc IThresholdVerifier
    function messageDigest(Message calldata message) external view returns (bytes32) {
        return _hashTypedDataV4(MessageLib.structHash(message));
    }

    /// @inheritdoc IThresholdVerifier
    function signers() external view returns (address[] memory) {
        return _signers;
    }

    /// @inheritdoc IThresholdVerifier
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc IThresholdVerifier
    function epoch() external view returns (uint64) {
        return _epoch;
    }

    /// @inheritdoc IThresholdVerifier
    function isSigner(address account) external view returns (bool) {
        return account != address(0) && _signerEpoch[account] == _epoch;
    }

    function _rotate(address[] memory newSigners, uint256 newThreshold) private {
        uint256 n = newSigners.length;
        if (n > MAX_SIGNERS) revert TooManySigners(n, MAX_SIGNERS);
        if (newThreshold < MIN_THRESHOLD) revert ThresholdTooLow(newThreshold, MIN_THRESHOLD);
        if (newThreshold > n) revert ThresholdAboveSigners(newThreshold, n);
        uint64 next = _epoch + 1;
        for (uint256 i; i < n; ++i) {
            address s = newSigners[i];
            // zero or a duplicate in the new set would silently lower the real n.
            if (s == address(0) || _signerEpoch[s] == next) revert InvalidSigner(s);
            _signerEpoch[s] = next;
        }
        _epoch = next;
        _threshold = newThreshold;
        _signers = newSigners;
        emit SignersRotated(next, newSigners, newThreshold);
    }
}
