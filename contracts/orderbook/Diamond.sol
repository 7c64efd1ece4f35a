// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBDiamondCut} from "../interfaces/IOBDiamondCut.sol";
import {IOBDiamondLoupe} from "../interfaces/IOBDiamondLoupe.sol";
import {IOBOwnership} from "../interfaces/IOBOwnership.sol";
import {LibDiamond} from "./libraries/LibDiamond.sol";

/// @title Diamond
/// @notice One order book per market (EIP-2535). The constructor sets the owner and runs the
/// deploying cut, including the one-time `OrderBookInit.obInitialize`. Declares no state: routing
/// and ownership live in LibDiamond's namespace, the book in OrderBookStorage's.
contract Diamond {
    constructor(address owner_, IOBDiamondCut.FacetCut[] memory cuts, address init, bytes memory initCalldata) {
        LibDiamond.setOwner(owner_);
        LibDiamond.Layout storage ds = LibDiamond.load();
        ds.supportedInterfaces[0x01ffc9a7] = true; // ERC-165
        ds.supportedInterfaces[type(IOBDiamondCut).interfaceId] = true;
        ds.supportedInterfaces[type(IOBDiamondLoupe).interfaceId] = true;
        ds.supportedInterfaces[type(IOBOwnership).interfaceId] = true;
        LibDiamond.diamondCut(cuts, init, initCalldata);
    }

    // solhint-disable-next-line no-complex-fallback
    fallback() external payable {
        address facet = LibDiamond.load().selectorToFacet[msg.sig].facet;
        if (facet == address(0)) revert IOBDiamondCut.FunctionNotFound(msg.sig);
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), facet, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 {
                revert(0, returndatasize())
            }
            default {
                return(0, returndatasize())
            }
        }
    }
}
