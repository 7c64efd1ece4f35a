// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {MockUSDC} from "../../../../contracts/test-support/MockUSDC.sol";
import {CoreVaultDeployer} from "../../../../contracts/test-support/CoreVaultDeployer.sol";
import {ICoreVault} from "../../../../contracts/interfaces/ICoreVault.sol";
import {CoreVault} from "../../../../contracts/vault/CoreVault.sol";
import {VaultHandler} from "./VaultHandler.sol";

/// @notice The invariant handler really reaches fills, liquidations, bad debt, ADL and
/// socialization: a scripted walk through it, with the ledger checks of the suite at the end.
contract VaultHandlerReachTest is TestBase {
    function test_handler_reachesEveryLossPath() public {
        MockUSDC usdc = new MockUSDC(6);
        ICoreVault vault = CoreVaultDeployer.deploy(address(usdc), address(this));
        CoreVault cv = CoreVault(address(vault));
        address ob = address(0x0B0B);
        address keeper = address(0x4EE9);
        VaultHandler h = new VaultHandler(vault, usdc, ob, address(0x4B), keeper);
        vault.registerOrderBook(ob);
        vault.assignMarketToOrderBook(h.ETH(), ob);
        vault.assignMarketToOrderBook(h.BTC(), ob);
        cv.grantRole(cv.EXTERNAL_CREDITOR_ROLE(), address(0x4B));
        cv.grantRole(cv.SETTLEMENT_ROLE(), keeper);
        bytes32 eth = h.ETH();
        vm.prank(keeper);
        vault.updateMarkPrice(eth, 2000e6);
        bytes32 btc = h.BTC();
        vm.prank(keeper);
        vault.updateMarkPrice(btc, 50_000e6);

        h.deposit(0, 1_000e6); // actor 0: thin margin
        h.deposit(1, 100_000e6);
        h.creditExternal(2, 100_000e6);
        h.deposit(5, 500e6); // the flat bystander
        // actor 0 takes 4.5 ETH long from actor 1 (IM 900 of 1,000)
        // (handler inputs go through bound(): 200 -> price bps 10,000; 899 -> a 9 % mark step)
        h.fill(uint256(1) | (uint256(0) << 8), true, 4.5e18, 200, 0);
        assertEq(h.fills(), 1, "fill");
        // ETH falls ~35 %: far past actor 0's bankruptcy price
        for (uint256 i; i < 5; ++i) h.moveMark(0, 899, false);
        h.liquidate(0, 2, 0, 50); // half against actor 2 at the mark: bad debt
        assertEq(h.liquidations(), 1, "liquidation");
        assertGe(vault.marketDeficit(eth), 1, "deficit recorded");
        h.adl(0, 1, 0); // the rest against the profitable short (actor 1)
        assertEq(h.adls(), 1, "adl");
        h.socialize(0);
        assertGe(h.recovered(), 1, "socialized");
        assertEq(vault.marketDeficit(eth), 0, "deficit recovered from the winner");
        h.fill(uint256(1) | (uint256(2) << 8) | (uint256(1) << 16), false, 1e18, 200, 0); // BTC
        h.settleBtc(8 | (uint256(300) << 8)); // 8 % 8 == 0: settles BTC at the mark
        assertEq(h.settlements(), 1, "settled");
        assertEq(vault.getUsersWithPositionsInMarketCount(btc), 0, "BTC index emptied by settlement");
        // The poke screen and the parameter flip are reachable too.
        cv.grantRole(cv.FACTORY_ROLE(), address(h));
        h.pokeScreen(0, 0, 20);
        assertEq(h.screens(), 1, "screened");
        assertFalse(h.screenMismatch(), "poke screen == exact screen");
        (bool valid, , , uint256 k, , ) = vault.getRiskGroup(eth, 0, 0);
        assertTrue(valid, "a whole-group screen writes the summary");
        h.setInitialMargin(0, true);
        assertTrue(k != vault.getMarketInfo(eth).initialMarginBps * vault.getRiskParams().mmrOfImrBps, "k moved");
        assertFalse(h.flatUserLost(), "bystander untouched");
        assertEq(vault.balanceOf(address(uint160(0xA005))), 500e6 + 1, "bystander balance (bound adds 1)");
    }
}
