// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBDiamondCut} from "../../interfaces/IOBDiamondCut.sol";
import {IOBOwnership} from "../../interfaces/IOBOwnership.sol";

/// @title LibDiamond
/// @notice Selector routing, cuts and ownership of an order-book diamond, in its own ERC-7201
/// namespace (`dexetra.orderbook.diamond`), separate from the book's state.
library LibDiamond {
    /// @dev keccak256(abi.encode(uint256(keccak256("dexetra.orderbook.diamond")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x3a38caa95955ce4a84588aefab6c7308e01a592244e69d88673c145839b78e00;

    struct FacetAndPosition {
        address facet;
        uint96 position; // index in facetSelectors[facet]
    }

    /// @custom:storage-location erc7201:dexetra.orderbook.diamond
    struct Layout {
        mapping(bytes4 selector => FacetAndPosition) selectorToFacet;
        mapping(address facet => bytes4[]) facetSelectors;
        address[] facetAddresses;
        mapping(bytes4 interfaceId => bool) supportedInterfaces;
        address owner;
    }

    function load() internal pure returns (Layout storage ds) {
        bytes32 slot = SLOT;
        assembly {
            ds.slot := slot
        }
    }

    function setOwner(address newOwner) internal {
        Layout storage ds = load();
        address previous = ds.owner;
        ds.owner = newOwner;
        emit IOBOwnership.OwnershipTransferred(previous, newOwner);
    }

    function enforceOwner() internal view {
        address o = load().owner;
        if (msg.sender != o) revert IOBDiamondCut.NotDiamondOwner(msg.sender, o);
    }

    function diamondCut(IOBDiamondCut.FacetCut[] memory cuts, address init, bytes memory data) internal {
        for (uint256 i; i < cuts.length; ++i) {
            IOBDiamondCut.FacetCut memory c = cuts[i];
            if (c.functionSelectors.length == 0) revert IOBDiamondCut.NoSelectorsInCut(c.facetAddress);
            if (c.action == IOBDiamondCut.FacetCutAction.Add) {
                _add(c.facetAddress, c.functionSelectors);
            } else if (c.action == IOBDiamondCut.FacetCutAction.Replace) {
                _replace(c.facetAddress, c.functionSelectors);
            } else {
                if (c.facetAddress != address(0)) revert IOBDiamondCut.RemoveFacetNotZero(c.facetAddress);
                for (uint256 j; j < c.functionSelectors.length; ++j) _remove(c.functionSelectors[j]);
            }
        }
        emit IOBDiamondCut.DiamondCut(cuts, init, data);
        if (init != address(0)) {
            if (init.code.length == 0) revert IOBDiamondCut.FacetHasNoCode(init);
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory reason) = init.delegatecall(data);
            if (!ok) revert IOBDiamondCut.InitFailed(init, reason);
        }
    }

    function _add(address facet, bytes4[] memory selectors) private {
        if (facet.code.length == 0) revert IOBDiamondCut.FacetHasNoCode(facet);
        Layout storage ds = load();
        for (uint256 j; j < selectors.length; ++j) {
            bytes4 sel = selectors[j];
            address existing = ds.selectorToFacet[sel].facet;
            if (existing != address(0)) revert IOBDiamondCut.SelectorAlreadyRegistered(sel, existing);
            _link(ds, facet, sel);
        }
    }

    function _replace(address facet, bytes4[] memory selectors) private {
        if (facet.code.length == 0) revert IOBDiamondCut.FacetHasNoCode(facet);
        Layout storage ds = load();
        for (uint256 j; j < selectors.length; ++j) {
            bytes4 sel = selectors[j];
            address existing = ds.selectorToFacet[sel].facet;
            if (existing == facet) revert IOBDiamondCut.SameFacetReplace(sel, facet);
            _remove(sel);
            _link(ds, facet, sel);
        }
    }

    function _link(Layout storage ds, address facet, bytes4 sel) private {
        bytes4[] storage list = ds.facetSelectors[facet];
        if (list.length == 0) ds.facetAddresses.push(facet);
        ds.selectorToFacet[sel] = FacetAndPosition(facet, uint96(list.length));
        list.push(sel);
    }

    function _remove(bytes4 sel) private {
        Layout storage ds = load();
        FacetAndPosition memory fp = ds.selectorToFacet[sel];
        if (fp.facet == address(0)) revert IOBDiamondCut.SelectorNotRegistered(sel);
        bytes4[] storage list = ds.facetSelectors[fp.facet];
        uint256 last = list.length - 1;
        if (fp.position != last) {
            bytes4 moved = list[last];
            list[fp.position] = moved;
            ds.selectorToFacet[moved].position = fp.position;
        }
        list.pop();
        delete ds.selectorToFacet[sel];
        if (last == 0) {
            // The facet served its last selector: drop it from the address list (swap and pop).
            address[] storage addrs = ds.facetAddresses;
            uint256 n = addrs.length;
            for (uint256 k; k < n; ++k) {
                if (addrs[k] == fp.facet) {
                    addrs[k] = addrs[n - 1];
                    addrs.pop();
                    break;
                }
            }
        }
    }
}
