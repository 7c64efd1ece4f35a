// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBDiamondCut} from "../../interfaces/IOBDiamondCut.sol";
import {LibDiamond} from "../libraries/LibDiamond.sol";

/// @title DiamondCutFacet
contract DiamondCutFacet is IOBDiamondCut {
    /// @inheritdoc IOBDiamondCut
    function diamondCut(FacetCut[] calldata _diamondCut, address _init, bytes calldata _calldata) external {
        LibDiamond.enforceOwner();
        LibDiamond.diamondCut(_diamondCut, _init, _calldata);
    }
}
