// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMessageVerifier} from "./IMessageVerifier.sol";

/// @title IThresholdVerifier
/// @notice m-of-n message adapter: a message is authentic when at least `threshold` distinct members
/// of the current signer set signed its EIP-712 digest (domain "Dexetra ThresholdVerifier" v1 of the
/// *destination* chain's adapter). The threshold is at least 2, so no single key can credit or release.
/// @dev `proof` is the concatenation of 65-byte (r, s, v) signatures ordered by strictly increasing
/// signer address; the ordering makes duplicate signers impossible without any storage.
interface IThresholdVerifier is IMessageVerifier {
    /// @notice The signer set was replaced; every signer of an older epoch is void from now on.
    event SignersRotated(uint64 indexed epoch, address[] signers, uint256 threshold);

    error ThresholdTooLow(uint256 threshold, uint256 minimum);
    error ThresholdAboveSigners(uint256 threshold, uint256 signers);
    error TooManySigners(uint256 signers, uint256 max);
    error InvalidSigner(address signer);
    error MalformedProof(uint256 length);
    error NotEnoughSignatures(uint256 provided, uint256 threshold);
    error InvalidSignature(uint256 index);
    error SignersNotAscending(uint256 index, address signer, address previous);
    error UnknownSigner(uint256 index, address signer);

    /// @notice DEFAULT_ADMIN_ROLE: replace the signer set and threshold (2 <= threshold <= n <= 32).
    function rotateSigners(address[] calldata signers, uint256 threshold) external;

    /// @notice The EIP-712 digest the signers sign for `message` on this adapter.
    function messageDigest(Message calldata message) external view returns (bytes32);

    function signers() external view returns (address[] memory);
    function threshold() external view returns (uint256);
    function epoch() external view returns (uint64);
    function isSigner(address account) external view returns (bool);
}
