// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title CoreVaultProxy
/// @notice The ERC-1967 proxy CoreVault lives behind (UUPS: upgrades go through the implementation,
/// gated by DEFAULT_ADMIN_ROLE). A named contract so deploy tooling has a project artifact.
contract CoreVaultProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory initData) payable ERC1967Proxy(implementation, initData) {}
}
