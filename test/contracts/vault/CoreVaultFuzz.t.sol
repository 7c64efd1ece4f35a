// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";

/// @notice Accounting fuzzed against a simple reference model with exact cost basis.
contract CoreVaultFuzzTest is VaultTestBase {
    function setUp() public override {
        super.setUp();
        fund(alice, 100_000_000 * USDC);
    }

    /// @dev Reference: PnL of closing everything = sum(size_i * (exit - price_i)) / 1e18, exact.
    function testFuzz_weightedEntry_matchesExactCostBasis(
        uint256 s1,
        uint256 s2,
        uint256 p1,
        uint256 p2,
        uint256 p3,
        bool short
    ) public {
        s1 = bound(s1, 1, 1000 * ONE);
        s2 = bound(s2, 1, 1000 * ONE);
        p1 = bound(p1, 1800e6, 2200e6);
        p2 = bound(p2, 1800e6, 2200e6);
        p3 = bound(p3, 1800e6, 2200e6);
        int256 sign = short ? -1 : int256(1);
        trade(alice, ETH, sign * int256(s1), p1);
        trade(alice, ETH, sign * int256(s2), p2);
        // entry = exact cost / size, floored at 18 decimals
        uint256 exactCostX36 = s1 * p1 * 1e12 + s2 * p2 * 1e12;
        assertEq(vault.getEntryPriceX18(alice, ETH), exactCostX36 / (s1 + s2), "entry");
        int256 realized = trade(alice, ETH, -sign * int256(s1 + s2), p3);
        int256 exact = sign * (int256(s1) * (int256(p3) - int256(p1)) + int256(s2) * (int256(p3) - int256(p2)));
        // realized is exact/1e18 rounded against the user: within one micro-USDC below, never above
        assertTrue(realized * 1e18 <= exact + int256(ONE), "never pays more than exact");
        assertTrue(realized * 1e18 >= exact - 2 * int256(ONE), "within one unit");
        assertEq(vault.getLockedMargin(alice), 0, "margin released on close");
    }

    /// @dev No leverage / MMR combination makes a position liquidatable at birth.
    function testFuzz_newPosition_notLiquidatableAtBirth(uint256 imBps, uint256 mmr, uint256 sz, uint256 price) public {
        imBps = bound(imBps, 100, 10_000);
        mmr = bound(mmr, 1000, 9000);
        sz = bound(sz, 1e12, 100 * ONE);
        price = bound(price, 1e6, 100_000e6);
        vault.setMarketRiskParams(BTC, imBps);
        vault.setMmrParams(mmr);
        uint256 im = (sz * price * imBps + 1e22 - 1) / 1e22;
        fund(carol, im);
        setMarkRaw(BTC, price);
        trade(carol, BTC, int256(sz), price);
        assertFalse(vault.isLiquidatable(carol, BTC, 0), "liquidatable at birth");
        assertEq(vault.getLockedMargin(carol), im, "locked = IM");
    }

    /// @dev Whatever happened, withdrawing the withdrawable amount leaves free collateral >= 0.
    function testFuzz_withdrawable_keepsMarginCovered(uint256 sz, uint256 markMove, uint256 reserve) public {
        fund(bob, 10_000 * USDC);
        sz = bound(sz, ONE / 100, 40 * ONE);
        trade(bob, ETH, int256(sz), P2000);
        setMark(ETH, (P2000 * bound(markMove, 9_000, 11_000)) / 10_000);
        reserve = bound(reserve, 0, vault.getAvailableCollateral(bob));
        vm.prank(ob);
        vault.reserveMargin(bob, ETH, reserve);
        int256 freeBefore = _freeSigned(bob);
        uint256 w = vault.getWithdrawable(bob);
        if (w != 0) {
            vm.prank(bob);
            vault.withdraw(w);
        }
        assertEq(vault.getWithdrawable(bob), 0, "nothing more");
        if (freeBefore >= 0) assertTrue(_freeSigned(bob) >= 0, "withdraw left margin uncovered");
        else assertEq(w, 0, "nothing withdrawable while under margin");
    }

    /// @dev min(equity, balance) - locked - reserved: one market, so min(uPnL, 0) = min(equity - balance, 0).
    function _freeSigned(address u) internal view returns (int256) {
        int256 eq = vault.getEquity(u);
        int256 bal = int256(vault.balanceOf(u));
        int256 collateral = eq < bal ? eq : bal;
        return collateral - int256(vault.getLockedMargin(u) + vault.getReservedMargin(u));
    }

    function setMarkRaw(bytes32 m, uint256 price) internal {
        // walk in 9 % steps so any target is reachable within maxMarkMoveBps
        walkMark(m, price);
    }
}
