// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title CollateralProxy
/// @notice ERC-1967 proxy in front of a CollateralHub or SpokeVault implementation (UUPS: the
/// implementation's `_authorizeUpgrade` guards upgrades). Named so deploy tooling finds the artifact.
contract CollateralProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory data) ERC1967Proxy(implementation, data) {}
}
