// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBOwnership} from "../../interfaces/IOBOwnership.sol";
import {LibDiamond} from "../libraries/LibDiamond.sol";

/// @title OwnershipFacet
contract OwnershipFacet is IOBOwnership {
    /// @inheritdoc IOBOwnership
    function owner() external view returns (address) {
        return LibDiamond.load().owner;
    }

    /// @inheritdoc IOBOwnership
    function transferOwnership(address newOwner) external {
        LibDiamond.enforceOwner();
        LibDiamond.setOwner(newOwner);
    }
}
