// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {VaultRiskModule} from "../../../contracts/vault/modules/VaultRiskModule.sol";
import {CoreVaultV2Mock} from "../../../contracts/test-support/CoreVaultV2Mock.sol";

/// @notice v1 proxy with state -> v2 implementation appending a namespace field: all state intact,
/// roles still enforced (also through the new risk module), and the new field independent.
contract CoreVaultUpgradeTest is VaultTestBase {
    function setUp() public override {
        super.setUp();
        fund(alice, 10_000 * USDC);
        vm.prank(hub);
        vault.creditExternal(carol, 3_000 * USDC);
        trade(alice, ETH, int256(ONE), P2000);
        trade(carol, ETH, -int256(ONE / 2), P2000);
        trade(carol, BTC, int256(ONE / 10), 50_000e6);
        vm.prank(ob);
        vault.reserveMargin(alice, ETH, 123 * USDC);
    }

    function test_upgrade_keepsStateAndAppendsField() public {
        ICoreVault.Position memory before = vault.getPosition(alice, ETH);
        uint256 count = vault.getUsersWithPositionsInMarketCount(ETH);
        uint256 known = vault.getKnownUsersCount();

        CoreVaultV2Mock v2 = new CoreVaultV2Mock(address(new VaultRiskModule()));
        cv.upgradeToAndCall(address(v2), "");
        CoreVaultV2Mock up = CoreVaultV2Mock(address(vault));
        assertEq(up.version(), 2, "running v2");

        up.setV2Field(777);
        assertEq(up.v2Field(), 777, "new field");
        assertEq(vault.balanceOf(alice), 10_000 * USDC, "balance");
        assertEq(vault.externalCreditOf(carol), 3_000 * USDC, "external credit");
        assertEq(vault.totalExternalCredits(), 3_000 * USDC, "total credits");
        ICoreVault.Position memory afterUp = vault.getPosition(alice, ETH);
        assertEq(afterUp.size, before.size, "size");
        assertEq(afterUp.entryPrice, before.entryPrice, "entry");
        assertEq(afterUp.marginLocked, before.marginLocked, "margin");
        assertEq(vault.getUsersWithPositionsInMarketCount(ETH), count, "index");
        assertEq(vault.getKnownUsersCount(), known, "known users");
        assertEq(vault.getUserMarkets(carol).length, 2, "account market list");
        assertEq(vault.getReservedMargin(alice), 123 * USDC, "reservation");
        assertEq(vault.marketToOrderBook(ETH), ob, "wiring");
        assertEq(vault.getMarkPrice(BTC), 50_000e6, "mark");
        assertTrue(cv.hasRole(cv.SETTLEMENT_ROLE(), keeper), "roles");

        // the ledger keeps working after the upgrade, through both contracts
        trade(alice, ETH, -int256(ONE), 2100e6);
        assertEq(vault.balanceOf(alice), 10_100 * USDC, "realized after upgrade");
        vm.prank(stranger);
        vm.expectRevert();
        vault.settleMarket(BTC, 50_000e6);
        vm.prank(keeper);
        vault.settleMarket(BTC, 50_000e6);
        assertTrue(vault.isMarketSettled(BTC), "module runs on v2");
        assertEq(up.v2Field(), 777, "new field untouched by v1 paths");
    }
}
