// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {CoreVaultDeployer} from "../../../contracts/test-support/CoreVaultDeployer.sol";

/// @notice The real CoreVault (proxy + risk module) for collateral tests, with this test contract
/// as its admin, plus a way to lock margin behind a position the way an order book would.
abstract contract VaultDeployer {
    bytes32 internal constant LOCK_MARKET = keccak256("XCHAIN-TEST");

    function _deployVault(MockUSDC usdc, address) internal returns (ICoreVault) {
        return CoreVaultDeployer.deploy(address(usdc), address(this));
    }

    function _grantCreditor(ICoreVault vault, address, address who) internal {
        IAccessControl(address(vault)).grantRole(keccak256("EXTERNAL_CREDITOR_ROLE"), who);
    }

    /// @notice Open a long for `user` whose initial margin (10x default) is `amount`: this test
    /// contract acts as the market's registered order book.
    function _lockMargin(ICoreVault vault, address user, uint256 amount) internal {
        vault.registerOrderBook(address(this));
        vault.assignMarketToOrderBook(LOCK_MARKET, address(this));
        uint256 price = 100e6;
        // notional = 10 * amount (IM 1,000 bps); size = notional * 1e18 / price
        int256 size = int256((amount * 10 * 1e18) / price);
        vault.updatePositionWithMargin(user, LOCK_MARKET, size, price, 0);
    }
}
