// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {VaultBase} from "../VaultBase.sol";

/// @title VaultModule
/// @notice What every CoreVault module shares: it runs only by delegatecall from the
/// implementation (in the proxy's storage), refuses direct calls, and keeps its own initializers
/// disabled. It declares no storage (see VaultBase).
abstract contract VaultModule is VaultBase {
    address private immutable SELF;

    constructor() {
        SELF = address(this);
        _disableInitializers();
    }

    modifier onlyDelegated() {
        if (address(this) == SELF) revert ICoreVault.NotDelegated();
        _;
    }
}
