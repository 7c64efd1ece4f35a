// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMessageVerifier} from "../interfaces/IMessageVerifier.sol";
import {ICollateralErrors} from "../interfaces/ICollateralErrors.sol";
import {ICollateralHub} from "../interfaces/ICollateralHub.sol";

/// @title HubStorage
/// @notice The CollateralHub's whole state in one ERC-7201 namespace. Append-only.
library HubStorage {
    /// @custom:storage-location erc7201:dexetra.collateral.hub
    struct Layout {
        address coreVault;
        uint64 outboundNonce;
        address operator;
        IMessageVerifier verifier;
        uint64[] spokeChainIds;
        mapping(uint64 chainId => ICollateralHub.SpokeConfig) spokes;
        mapping(uint64 chainId => ICollateralErrors.Window) creditWindows;
        mapping(uint64 chainId => ICollateralErrors.Window) withdrawWindows;
        mapping(bytes32 messageId => bool) processed;
        mapping(address user => mapping(uint64 chainId => uint256)) creditedFrom;
    }

    // keccak256(abi.encode(uint256(keccak256("dexetra.collateral.hub")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x36317119c10de8e6304ba1c576d445f8d443c8adc02c8a2f0c9683662704e400;

    function load() internal pure returns (Layout storage $) {
        bytes32 slot = SLOT;
        assembly {
            $.slot := slot
        }
    }
}
