// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {ExternalLedgerStandIn} from "../../../contracts/test-support/ExternalLedgerStandIn.sol";

abstract contract VaultDeployer {
    function _deployVault(MockUSDC, address admin) internal returns (ICoreVault) {
        admin;
        return ICoreVault(address(new ExternalLedgerStandIn(address(this))));
    }

    function _grantCreditor(ICoreVault vault, address admin, address who) internal {
        admin;
        ExternalLedgerStandIn(address(vault)).grant(who);
    }

    /// @notice Make `amount` of `user`'s collateral not free (margin backing a position).
    function _lockMargin(ICoreVault vault, address user, uint256 amount) internal {
        ExternalLedgerStandIn(address(vault)).lock(user, amount);
    }
}
