// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {RiskGroupLib} from "../../../contracts/vault/libraries/RiskGroupLib.sol";
import {PositionMath} from "../../../contracts/vault/libraries/PositionMath.sol";

/// @notice The poke's safe-price summaries (RiskGroupLib) must never hide a liquidatable account:
/// the band math is sound at every price inside it and tight at its edges, and after any sequence
/// of fills, closes (index moves), withdrawals, second-market entries, mark moves, parameter
/// changes and poke screens, every group whose summary claims "healthy at this price" really is.
contract CoreVaultRiskGroupsTest is VaultTestBase {
    uint256 internal constant N = 26; // two groups of 20 (one partly filled) with the maker
    uint256 internal constant MASK96 = type(uint96).max;
    address[] internal traders;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < N; ++i) traders.push(address(uint160(0xC000 + i)));
    }

    // ------------------------------------------------------------------ band math

    /// @dev Integer health exactly as MarginLib.health for a single-market account.
    function _healthy(
        int256 size,
        uint256 entryX18,
        uint256 balance,
        uint256 k,
        uint256 p
    ) internal pure returns (bool) {
        int256 equity = int256(balance) + PositionMath.pnl(size, entryX18, p);
        uint256 maint = (PositionMath.notional(PositionMath.abs(size), p) * k) / 1e8;
        return equity >= int256(maint);
    }

    function testFuzz_boundsAreSafeAtEveryPriceInside(
        uint128 balance,
        int104 size,
        uint88 entryX18,
        uint256 imBps,
        uint256 mmrBps,
        uint256 pSeed
    ) public {
        imBps = bound(imBps, 100, 10_000);
        mmrBps = bound(mmrBps, 1_000, 9_000);
        vm.assume(size != 0 && size != type(int104).min);
        uint256 k = imBps * mmrBps;
        (uint256 lo, uint256 hi) = RiskGroupLib.bounds(size, entryX18, balance, k);
        if (size > 0) assertEq(hi, MASK96, "a long is safe all the way up");
        else assertEq(lo, 0, "a short is safe all the way down");
        uint256 top = hi < 1e15 ? hi : 1e15; // prices up to 1e9 USDC per unit
        if (lo == 0) lo = 1;
        if (lo > top) return; // no safe price in range
        uint256[4] memory ps = [lo, top, lo + ((top - lo) >> 1), lo + (pSeed % (top - lo + 1))];
        for (uint256 i; i < 4; ++i) assertTrue(_healthy(size, entryX18, balance, k, ps[i]), "healthy inside the band");
    }

    function test_bandsAreTightAtTheLiquidationPrice() public {
        fund(alice, 250 * USDC);
        fund(bob, 250 * USDC);
        fund(carol, 1_000_000 * USDC);
        fill(carol, alice, true, ONE, P2000); // alice long 1 at 2000
        fill(carol, bob, false, ONE, P2000); // bob short 1 at 2000
        uint256 k = 1000 * 5000; // 10x, maintenance 50 % of initial = 5 % of notional
        (uint256 lo, ) = RiskGroupLib.bounds(int256(ONE), 2000e18, 250 * USDC, k);
        (, uint256 hi) = RiskGroupLib.bounds(-int256(ONE), 2000e18, 250 * USDC, k);
        // Long: 250 + (P - 2000) = 0.05 P  ->  P = 1842.105263...; short: P = 2142.857142...
        assertGe(lo, 1842_105262, "long bound at the liquidation price (>=)");
        assertLe(lo, 1842_105266, "long bound at the liquidation price (<=)");
        assertGe(hi, 2142_857139, "short bound at the liquidation price (>=)");
        assertLe(hi, 2142_857143, "short bound at the liquidation price (<=)");
        assertFalse(vault.isLiquidatable(alice, ETH, lo), "long safe at lo");
        assertTrue(vault.isLiquidatable(alice, ETH, lo - 3), "long liquidatable just below");
        assertFalse(vault.isLiquidatable(bob, ETH, hi), "short safe at hi");
        assertTrue(vault.isLiquidatable(bob, ETH, hi + 3), "short liquidatable just above");
        // Carol went flat (removed); the one group holds alice and bob, summarized by the fills.
        (bool valid, uint256 glo, uint256 ghi, uint256 gk, , ) = vault.getRiskGroup(ETH, 0, 0);
        assertTrue(valid, "group 0 summarized by the fills");
        assertEq(gk, k, "k recorded");
        assertEq(glo, lo, "group lo = alice's");
        assertEq(ghi, hi, "group hi = bob's");
    }

    // ------------------------------------------------------------------ poke screen

    function _open(uint256 seed) internal {
        fund(carol, 100_000_000 * USDC);
        for (uint256 i; i < N; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            fund(traders[i], 450 * USDC + (r % 3000) * USDC);
            fill(carol, traders[i], r & 1 == 0, ONE / 4 + ((r >> 8) % 8) * (ONE / 4), P2000);
        }
    }

    function _poke(
        uint256 offset,
        uint256 limit,
        uint256 mark,
        uint256 maxOut
    ) internal returns (address[] memory hits, uint256 start, uint256 scanned) {
        vm.prank(ob);
        (hits, start, scanned, ) = vault.pokeScreen(ETH, offset, limit, mark, maxOut);
    }

    function test_pokeScreen_skipsProvenGroupsAndFindsTheRest() public {
        _open(1);
        // Every fill summarized its group: at the opening mark nobody is liquidatable.
        (, , , , , bool proven0) = vault.getRiskGroup(ETH, 0, 0);
        (, , , , , bool proven1) = vault.getRiskGroup(ETH, 1, 0);
        assertTrue(proven0 && proven1, "both groups proven healthy at the mark");
        (address[] memory hits, uint256 start, uint256 scanned) = _poke(0, 50, P2000, 3);
        assertEq(hits.length, 0, "nobody");
        assertEq(start, 0, "from 0");
        assertEq(scanned, N + 1, "both groups passed");
        // A crash: the same pages now hold liquidatable accounts, found exactly.
        walkMark(ETH, 1200e6);
        (address[] memory exact, ) = vault.screenLiquidatable(ETH, 0, 100, 0, 100);
        assertGe(exact.length, 1, "the crash made some longs liquidatable");
        (, , , , , proven0) = vault.getRiskGroup(ETH, 0, 0);
        (, , , , , proven1) = vault.getRiskGroup(ETH, 1, 0);
        assertFalse(proven0 && proven1, "a group holding a liquidatable account is not proven");
        (hits, , scanned) = _poke(0, 50, 0, 100);
        assertEq(hits.length, exact.length, "same hits as the exact screen");
        for (uint256 i; i < hits.length; ++i) assertEq(hits[i], exact[i], "same order");
    }

    function test_pokeScreen_pageEndsAtAGroupBoundary() public {
        _open(2);
        (, uint256 start, uint256 scanned) = _poke(5, 20, P2000, 3);
        assertEq(start, 5, "start kept");
        assertEq(scanned, 15, "5..19: ends where group 1 begins");
        (, start, scanned) = _poke(100, 20, P2000, 3);
        assertEq(start, 0, "past the end wraps to 0");
        assertEq(scanned, 20, "one whole group");
        (, start, scanned) = _poke(20, 20, P2000, 3);
        assertEq(scanned, N + 1 - 20, "the last, partial group");
    }

    function test_withdrawWidensTheGroup_soThePokeStillFindsTheAccount() public {
        _open(3);
        fund(alice, 1_000 * USDC);
        fill(carol, alice, true, ONE, P2000); // index N + 1: group 1
        // Summaries now prove group 1 healthy at 1880.
        (address[] memory hits, , ) = _poke(20, 20, 1880e6, 3);
        assertEq(hits.length, 0, "healthy at 1880");
        (bool valid, uint256 lo, , , , ) = vault.getRiskGroup(ETH, 1, 0);
        assertTrue(valid && lo < 1880e6, "group 1 proven at 1880");
        // Alice withdraws down to the bone: liquidatable at 1880, and her group's band must say so.
        uint256 all = vault.getWithdrawable(alice);
        vm.prank(alice);
        vault.withdraw(all);
        walkMark(ETH, 1880e6);
        assertTrue(vault.isLiquidatable(alice, ETH, 0), "alice at risk");
        (, lo, , , , ) = vault.getRiskGroup(ETH, 1, 0);
        assertGe(lo, 1880e6 + 1, "band raised by the withdrawal");
        (hits, , ) = _poke(20, 20, 0, 3);
        bool found;
        for (uint256 i; i < hits.length; ++i) if (hits[i] == alice) found = true;
        assertTrue(found, "poke finds alice");
    }

    function test_secondMarketFlagsBothEntries_andAParamChangeVoidsAll() public {
        _open(4);
        (bool valid, , , , uint256 mask, ) = vault.getRiskGroup(ETH, 0, 0);
        assertTrue(valid && mask == 0, "group 0 valid, nothing flagged");
        // traders[3] (index 4 in ETH: carol is 0) enters BTC: cross-margined now.
        fund(dave, 10_000_000 * USDC);
        vm.prank(ob);
        vault.settleFill(ICoreVault.Fill(BTC, dave, traders[3], true, 1e16, 50_000e6, 0, 0, 0));
        (valid, , , , mask, ) = vault.getRiskGroup(ETH, 0, 0);
        assertTrue(valid, "ETH group still valid");
        assertEq(mask, 1 << 4, "its ETH entry (index 4) flagged");
        (valid, , , , mask, ) = vault.getRiskGroup(BTC, 0, 0);
        assertTrue(valid && mask == 1 << 1, "its BTC entry (index 1, after dave) flagged");
        // A proven group checks only its flagged entry: make that account liquidatable through
        // BTC alone (ETH unchanged) and the poke still finds it.
        (bool hitBefore, ) = _hasHit(traders[3]);
        assertFalse(hitBefore, "healthy before");
        // Leaving BTC makes it single-market again: the flag is cleared by its band.
        int256 b = sizeOf(traders[3], BTC);
        vm.prank(ob);
        vault.settleFill(ICoreVault.Fill(BTC, dave, traders[3], b < 0, uint256(b > 0 ? b : -b), 50_000e6, 0, 0, 0));
        (valid, , , , mask, ) = vault.getRiskGroup(ETH, 0, 0);
        assertTrue(valid && mask == 0, "flag cleared when the account is single-market again");
        // A full screen of group 1 rewrites it; then a parameter change voids it (k differs).
        _poke(20, 20, P2000, 3);
        (bool v1, , , uint256 k1, , ) = vault.getRiskGroup(ETH, 1, 0);
        assertTrue(v1, "rewritten by a whole-group screen");
        vault.setMarketRiskParams(ETH, 2000);
        assertTrue(k1 != 2000 * 5000, "stored k is the old one");
        (, , uint256 scanned) = _poke(20, 20, P2000, 3);
        assertEq(scanned, N + 1 - 20, "screened again, exactly");
        (, , , uint256 k2, , ) = vault.getRiskGroup(ETH, 1, 0);
        assertEq(k2, 2000 * 5000, "rewritten with the new k");
    }

    function _hasHit(address who) internal returns (bool hit, uint256 scanned) {
        address[] memory hits;
        (hits, , scanned) = _poke(0, 20, 0, 100);
        for (uint256 i; i < hits.length; ++i) if (hits[i] == who) hit = true;
    }

    function test_pokeScreen_checksFlaggedEntriesOfAProvenGroup() public {
        _open(6);
        // alice: thin ETH long (group 1) who also holds a big BTC long: cross-margined.
        fund(alice, 1_200 * USDC);
        fill(carol, alice, true, ONE, P2000);
        fund(dave, 10_000_000 * USDC);
        vm.prank(ob);
        vault.settleFill(ICoreVault.Fill(BTC, dave, alice, true, 1e17, 50_000e6, 0, 0, 0));
        uint256 idx = N + 1; // carol, the N traders, then alice
        _poke(20, 20, P2000, 3); // a whole-group screen writes group 1 exactly: alice flagged
        (bool valid, , , , uint256 mask, bool proven) = vault.getRiskGroup(ETH, 1, 0);
        assertTrue(valid && proven, "group 1 proven at the ETH mark");
        assertEq(mask, 1 << (idx - 20), "alice's entry flagged");
        assertFalse(vault.isLiquidatable(alice, ETH, 0), "alice healthy");
        // BTC falls: alice becomes liquidatable in ETH without any ETH change. The group stays
        // proven for its single-market accounts, and the poke checks alice exactly.
        walkMark(BTC, 41_000e6);
        assertTrue(vault.isLiquidatable(alice, ETH, 0), "alice liquidatable through BTC");
        (, , , , , proven) = vault.getRiskGroup(ETH, 1, 0);
        assertTrue(proven, "still proven for the others");
        (address[] memory hits, , uint256 scanned) = _poke(20, 20, 0, 3);
        assertEq(scanned, N + 2 - 20, "the whole group passed");
        assertEq(hits.length, 1, "one hit");
        assertEq(hits[0], alice, "the flagged entry, checked exactly");
    }

    function test_RevertWhen_pokeScreenNotTheMarketsBook() public {
        _open(5);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.NotMarketOrderBook.selector, ETH, stranger, ob));
        vault.pokeScreen(ETH, 0, 20, P2000, 3);
    }

    /// @notice Random sequences over two index groups: after every step, each group whose summary
    /// proves it healthy at a price (the mark, the band edges, a random price inside) holds no
    /// account liquidatable there; and every poke screen returns exactly the exact screen's hits.
    function testFuzz_summariesNeverHideALiquidatableAccount(uint256 seed) public {
        _open(seed);
        fund(dave, 10_000_000 * USDC);
        for (uint256 step; step < 14; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step, "op")));
            _randomOp(r);
            _checkGroups(r);
        }
    }

    function _randomOp(uint256 r) internal {
        address u = traders[(r >> 8) % N];
        uint256 op = r % 8;
        if (op == 0) {
            // trade more, less or flip at a price near the mark
            uint256 mark = vault.getMarkPrice(ETH);
            uint256 px = (mark * (9_950 + ((r >> 16) % 100))) / 10_000;
            vm.prank(ob);
            try
                vault.settleFill(
                    ICoreVault.Fill(
                        ETH,
                        carol,
                        u,
                        (r >> 40) & 1 == 0,
                        ONE / 4 + ((r >> 48) % 6) * (ONE / 4),
                        px,
                        0,
                        0,
                        0
                    )
                )
            {} catch {}
        } else if (op == 1) {
            int256 s = sizeOf(u, ETH); // close: the last index entry moves into u's place
            if (s != 0) {
                // An account past bankruptcy cannot close through a normal fill (its loss exceeds
                // its balance): that is the liquidation path's job, so the op is skipped then.
                uint256 abs = uint256(s > 0 ? s : -s);
                vm.prank(ob);
                try
                    vault.settleFill(ICoreVault.Fill(ETH, carol, u, s < 0, abs, vault.getMarkPrice(ETH), 0, 0, 0))
                {} catch {}
            }
        } else if (op == 2) {
            uint256 w = vault.getWithdrawable(u);
            if (w != 0) {
                vm.prank(u);
                vault.withdraw(w - (w * ((r >> 16) % 50)) / 100);
            }
        } else if (op == 3) {
            vm.prank(ob);
            try
                vault.settleFill(
                    ICoreVault.Fill(BTC, dave, u, (r >> 16) & 1 == 0, 1e15, vault.getMarkPrice(BTC), 0, 0, 0)
                )
            {} catch {}
        } else if (op == 4) {
            int256 s = vault.getPosition(u, BTC).size;
            if (s != 0) {
                uint256 abs = uint256(s > 0 ? s : -s);
                vm.prank(ob);
                try
                    vault.settleFill(ICoreVault.Fill(BTC, dave, u, s < 0, abs, vault.getMarkPrice(BTC), 0, 0, 0))
                {} catch {}
            }
        } else if (op == 5) {
            uint256 mark = vault.getMarkPrice(ETH);
            uint256 bps = (r >> 16) % 800;
            setMark(ETH, (r >> 32) & 1 == 0 ? (mark * (10_000 + bps)) / 10_000 : (mark * (10_000 - bps)) / 10_000);
        } else if (op == 6) {
            uint256 count = vault.getUsersWithPositionsInMarketCount(ETH);
            (address[] memory hits, uint256 start, uint256 scanned) = _poke(
                (r >> 16) % (count + 5),
                1 + ((r >> 24) % 30),
                0,
                100
            );
            (address[] memory exact, ) = vault.screenLiquidatable(ETH, start, scanned, 0, 100);
            assertEq(hits.length, exact.length, "poke screen == exact screen on its page");
            for (uint256 i; i < hits.length; ++i) assertEq(hits[i], exact[i], "same accounts");
        } else {
            vault.setMarketRiskParams(ETH, (r >> 16) & 1 == 0 ? 1000 : 1250);
        }
    }

    function _checkGroups(uint256 r) internal {
        uint256 count = vault.getUsersWithPositionsInMarketCount(ETH);
        uint256 k = vault.getMarketInfo(ETH).initialMarginBps * vault.getRiskParams().mmrOfImrBps;
        address[] memory list = vault.getUsersWithPositionsInMarketPage(ETH, 0, 100);
        uint256 mark = vault.getMarkPrice(ETH);
        for (uint256 g; g * 20 < count; ++g) {
            (bool valid, uint256 lo, uint256 hi, uint256 gk, uint256 mask, ) = vault.getRiskGroup(ETH, g, 0);
            if (!valid || gk != k) continue;
            if (lo == 0) lo = 1;
            if (hi > 1e13) hi = 1e13;
            if (lo > hi) continue;
            uint256[4] memory ps = [lo, hi, mark, lo + (r % (hi - lo + 1))];
            for (uint256 i = g * 20; i < count && i < g * 20 + 20; ++i) {
                if (vault.getUserMarkets(list[i]).length != 1) {
                    assertEq((mask >> (i - g * 20)) & 1, 1, "a cross-margin entry is flagged");
                    continue;
                }
                for (uint256 j; j < 4; ++j) {
                    if (ps[j] < lo || ps[j] > hi) continue;
                    assertFalse(vault.isLiquidatable(list[i], ETH, ps[j]), "proven healthy");
                }
            }
        }
    }
}
