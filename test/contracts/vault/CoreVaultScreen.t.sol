// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";

/// @notice screenLiquidatable must flag exactly the accounts isLiquidatable flags (single- and
/// multi-market accounts, any mark), and settleLiquidation settles a whole liquidation at once.
contract CoreVaultScreenTest is VaultTestBase {
    address[6] internal users = [alice, bob, carol, dave, address(0xE1), address(0xF1)];

    function _screen(uint256 mark) internal returns (address[] memory hits, uint256 scanned) {
        return vault.screenLiquidatable(ETH, 0, 100, mark, 100);
    }

    function testFuzz_screenMatchesIsLiquidatable(uint256 seed, uint256 markSeed) public {
        // Three longs against three shorts, random balances and sizes; some also hold BTC.
        for (uint256 i; i < 6; ++i) fund(users[i], 700 * USDC + ((seed >> (i * 8)) % 4000) * USDC);
        for (uint256 i; i < 3; ++i) {
            uint256 sz = ONE + ((seed >> (64 + i * 8)) % 20) * 1e17;
            fill(users[i + 3], users[i], true, sz, P2000);
        }
        if (seed & 1 != 0) {
            vm.prank(ob);
            vault.settleFill(ICoreVault.Fill(BTC, users[4], users[0], true, 1e16, 50_000e6, 0, 0, 0));
        }
        uint256 mark = 1800e6 + (markSeed % 400) * 1e6;
        address[] memory hits;
        for (uint256 pass; pass < 2; ++pass) {
            uint256 m = pass == 0 ? mark : 0; // explicit mark, then the vault's own
            (hits, ) = _screen(m);
            uint256 k;
            for (uint256 i; i < 6; ++i) {
                bool bad = vault.isLiquidatable(users[i], ETH, m);
                bool listed;
                for (uint256 j; j < hits.length; ++j) if (hits[j] == users[i]) listed = true;
                assertEq(listed, bad, "screen == isLiquidatable");
                if (bad) ++k;
            }
            assertEq(hits.length, k, "no extra hits");
        }
    }

    function test_screenStopsAtMaxOut() public {
        fund(alice, 300 * USDC);
        fund(bob, 300 * USDC);
        fund(carol, 100_000 * USDC);
        fill(carol, alice, true, ONE, P2000);
        fill(carol, bob, true, ONE, P2000);
        (address[] memory hits, uint256 scanned) = vault.screenLiquidatable(ETH, 0, 20, 1760e6, 1);
        assertEq(hits.length, 1, "one hit");
        assertEq(hits[0], alice, "first hit in index order (carol, alice, bob)");
        assertEq(scanned, 2, "stopped at the hit");
        (hits, scanned) = vault.screenLiquidatable(ETH, 0, 20, 1760e6, 5);
        assertEq(hits.length, 2, "both longs");
        assertEq(scanned, 3, "whole page read");
    }

    function test_settleLiquidation_wholeStepInOneCall() public {
        fund(alice, 1_200 * USDC);
        fund(bob, 100_000 * USDC);
        fund(carol, 100_000 * USDC);
        fill(bob, alice, true, 5 * ONE, P2000);
        walkMark(ETH, 1850e6);
        assertTrue(vault.isLiquidatable(alice, ETH, 0), "liquidatable");
        ICoreVault.LiquidationFill[] memory f = new ICoreVault.LiquidationFill[](3);
        f[0] = ICoreVault.LiquidationFill(carol, 0, 2 * ONE, 1850e6, 0);
        f[1] = ICoreVault.LiquidationFill(carol, 0, 2 * ONE, 1845e6, 0);
        f[2] = ICoreVault.LiquidationFill(dave, 0, ONE, 1840e6, 0);
        fund(dave, 10_000 * USDC);
        uint256 balBefore = vault.balanceOf(alice);
        uint256 escrowBefore = vault.makerRewardEscrow(ETH);
        vm.prank(ob);
        (uint256 bad, uint256 pool, uint256 toKeeper) = vault.settleLiquidation(ETH, alice, keeper, f);
        uint256 notional = 2 * 1850e6 + 2 * 1845e6 + 1840e6;
        assertEq(sizeOf(alice, ETH), 0, "closed");
        assertEq(sizeOf(carol, ETH), 4 * int256(ONE), "carol long 4");
        assertEq(sizeOf(dave, ETH), int256(ONE), "dave long 1");
        // Loss = 150*2 + 155*2 + 160 = 770 USDC; penalty 2.5 % of notional.
        uint256 penalty = (notional * 250) / 10_000;
        assertEq(bad, 0, "no bad debt");
        assertEq(vault.balanceOf(alice), balBefore - 770 * USDC - penalty, "one net booking");
        assertEq(pool, penalty - penalty / 2 - (penalty * 2000) / 10_000, "maker share");
        assertEq(toKeeper, (penalty * 2000) / 10_000, "liquidator share");
        assertEq(vault.balanceOf(keeper), 0, "liquidator share deferred, not credited");
        assertEq(vault.makerRewardEscrow(ETH) - escrowBefore, pool + toKeeper, "both shares escrowed");
        assertFalse(vault.userInMarket(alice, ETH), "index removed");
    }

    function test_RevertWhen_settleLiquidationHealthy() public {
        fund(alice, 100_000 * USDC);
        fund(carol, 100_000 * USDC);
        fill(carol, alice, true, ONE, P2000);
        ICoreVault.LiquidationFill[] memory f = new ICoreVault.LiquidationFill[](1);
        f[0] = ICoreVault.LiquidationFill(carol, 0, ONE, P2000, 0);
        vm.prank(ob);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotLiquidatable.selector, alice, ETH));
        vault.settleLiquidation(ETH, alice, keeper, f);
    }
}
