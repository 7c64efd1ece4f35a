// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBDiamondLoupe} from "../../interfaces/IOBDiamondLoupe.sol";
import {LibDiamond} from "../libraries/LibDiamond.sol";

/// @title DiamondLoupeFacet
contract DiamondLoupeFacet is IOBDiamondLoupe {
    /// @inheritdoc IOBDiamondLoupe
    function facets() external view returns (Facet[] memory facets_) {
        LibDiamond.Layout storage ds = LibDiamond.load();
        uint256 n = ds.facetAddresses.length;
        facets_ = new Facet[](n);
        for (uint256 i; i < n; ++i) {
            address f = ds.facetAddresses[i];
            facets_[i] = Facet(f, ds.facetSelectors[f]);
        }
    }

    /// @inheritdoc IOBDiamondLoupe
    function facetFunctionSelectors(address _facet) external view returns (bytes4[] memory selectors) {
        return LibDiamond.load().facetSelectors[_facet];
    }

    /// @inheritdoc IOBDiamondLoupe
    function facetAddresses() external view returns (address[] memory addresses) {
        return LibDiamond.load().facetAddresses;
    }

    /// @inheritdoc IOBDiamondLoupe
    function facetAddress(bytes4 _selector) external view returns (address facet) {
        return LibDiamond.load().selectorToFacet[_selector].facet;
    }

    /// @inheritdoc IOBDiamondLoupe
    function supportsInterface(bytes4 interfaceId) external view returns (bool) {
        return LibDiamond.load().supportedInterfaces[interfaceId];
    }
}
