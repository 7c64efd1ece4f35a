// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOBOwnership
/// @notice ERC-173 ownership of an order-book diamond (the owner cuts and sets parameters).
interface IOBOwnership {
    /// @notice ERC-173 event, name fixed by the standard.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    function owner() external view returns (address);

    /// @notice Owner only. Zero renounces (no further cuts or parameter changes possible).
    function transferOwnership(address newOwner) external;
}
