// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICoreVault} from "../interfaces/ICoreVault.sol";

/// @title VaultBulkLoader
/// @notice Benchmark/demo helper: acting as a market's order book and an external creditor, it
/// credits and opens positions for `n` synthetic users per transaction, so a market can hold
/// 10,000 real index entries without 10,000 transactions. Never grant it roles on a live vault.
contract VaultBulkLoader {
    /// @param firstUser users are firstUser, firstUser + 1, ... (as addresses)
    function load(
        ICoreVault vault,
        bytes32 marketId,
        uint160 firstUser,
        uint256 n,
        int256 size,
        uint256 price
    ) external {
        for (uint256 i; i < n; ++i) {
            address user = address(firstUser + uint160(i));
            vault.creditExternal(user, 1_000_000_000);
            vault.updatePositionWithMargin(user, marketId, (i & 1) == 0 ? size : -size, price, 0);
        }
    }
}
