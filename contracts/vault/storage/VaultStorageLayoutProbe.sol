// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultStorage} from "./VaultStorage.sol";

/// @title VaultStorageLayoutProbe
/// @notice Never deployed. solc reports storage layouts only for ordinary state variables, not for
/// ERC-7201 namespaces; declaring the namespace struct here makes the build's `storageLayout`
/// describe it, so scripts/storage-layout.ts can dump it and check upgrades are append-only.
contract VaultStorageLayoutProbe {
    VaultStorage.Layout internal layout;
}
