// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title FactoryProxy
/// @notice ERC-1967 proxy in front of the FuturesMarketFactory (UUPS: upgrades guarded by the
/// implementation's DEFAULT_ADMIN_ROLE). Named so deploy tooling finds the artifact.
contract FactoryProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory data) ERC1967Proxy(implementation, data) {}
}
