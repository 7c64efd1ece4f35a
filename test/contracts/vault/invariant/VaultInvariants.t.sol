// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {MockUSDC} from "../../../../contracts/test-support/MockUSDC.sol";
import {CoreVaultDeployer} from "../../../../contracts/test-support/CoreVaultDeployer.sol";
import {ICoreVault} from "../../../../contracts/interfaces/ICoreVault.sol";
import {CoreVault} from "../../../../contracts/vault/CoreVault.sol";
import {VaultHandler} from "./VaultHandler.sol";

/// @notice Ledger invariants over random sequences of deposits, withdrawals, external credits,
/// fills, mark moves, liquidations, ADL, socialization, rewards, fee sweeps and reservations.
/// Run counts: see docs/vault.md (hardhat.config.ts: 10,000 runs per invariant in CI).
contract VaultInvariantsTest is TestBase {
    MockUSDC internal usdc;
    ICoreVault internal vault;
    VaultHandler internal handler;
    address internal constant ob = address(0x0B0B);
    address internal constant hub = address(0x4B);
    address internal constant keeper = address(0x4EE9);

    function setUp() public {
        usdc = new MockUSDC(6);
        vault = CoreVaultDeployer.deploy(address(usdc), address(this));
        CoreVault cv = CoreVault(address(vault));
        handler = new VaultHandler(vault, usdc, ob, hub, keeper);
        vault.registerOrderBook(ob);
        vault.assignMarketToOrderBook(handler.ETH(), ob);
        vault.assignMarketToOrderBook(handler.BTC(), ob);
        vault.setMarketRiskParams(handler.BTC(), 500); // 20x beside 10x: different margin math
        cv.grantRole(cv.EXTERNAL_CREDITOR_ROLE(), hub);
        cv.grantRole(cv.SETTLEMENT_ROLE(), keeper);
        cv.grantRole(cv.FACTORY_ROLE(), address(handler));
        bytes32 eth = handler.ETH();
        bytes32 btc = handler.BTC();
        vm.prank(keeper);
        vault.updateMarkPrice(eth, 2000e6);
        vm.prank(keeper);
        vault.updateMarkPrice(btc, 50_000e6);
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(handler);
    }

    /// @notice user in the market index <=> non-zero position, no duplicates, count matches.
    function invariant_indexMatchesNonZeroPositions() public view {
        _checkIndex();
    }

    function _checkIndex() internal view {
        address[] memory actors = handler.actorsList();
        bytes32[2] memory ms = handler.markets();
        for (uint256 k; k < 2; ++k) {
            uint256 holders;
            for (uint256 i; i < actors.length; ++i) {
                bool has = vault.getPosition(actors[i], ms[k]).size != 0;
                if (has) ++holders;
                assertEq(vault.userInMarket(actors[i], ms[k]), has, "userInMarket <=> position");
            }
            assertEq(vault.getUsersWithPositionsInMarketCount(ms[k]), holders, "count");
            address[] memory page = vault.getUsersWithPositionsInMarketPage(ms[k], 0, 100);
            for (uint256 i; i < page.length; ++i) {
                assertTrue(vault.getPosition(page[i], ms[k]).size != 0, "listed user has a position");
                for (uint256 j; j < i; ++j) assertTrue(page[i] != page[j], "no duplicates");
            }
        }
    }

    /// @notice A page walk with any page size visits every position holder exactly once.
    function invariant_pageWalkVisitsEveryUserOnce() public view {
        _checkPageWalk();
    }

    function _checkPageWalk() internal view {
        address[] memory actors = handler.actorsList();
        uint256 ps = handler.pageSize();
        bytes32[2] memory ms = handler.markets();
        for (uint256 k; k < 2; ++k) {
            uint256[] memory seen = new uint256[](actors.length);
            uint256 total;
            for (uint256 off; ; off += ps) {
                address[] memory page = vault.getUsersWithPositionsInMarketPage(ms[k], off, ps);
                if (page.length == 0) break;
                assertLe(page.length, ps, "page size respected");
                for (uint256 i; i < page.length; ++i) {
                    ++total;
                    for (uint256 j; j < actors.length; ++j) if (page[i] == actors[j]) ++seen[j];
                }
            }
            assertEq(total, vault.getUsersWithPositionsInMarketCount(ms[k]), "walk length");
            for (uint256 j; j < actors.length; ++j) {
                uint256 expected = vault.getPosition(actors[j], ms[k]).size != 0 ? 1 : 0;
                assertEq(seen[j], expected, "visited exactly once");
            }
        }
    }

    /// @notice Token flows: the vault holds exactly what came in as tokens; with external credits
    /// it covers everything it owes (balances + open PnL + insurance + escrow + fee pool - deficit).
    function invariant_tokenBalanceCoversTokenBackedOwed() public view {
        _checkTokens();
    }

    function _checkTokens() internal view {
        uint256 held = usdc.balanceOf(address(vault));
        assertEq(held + vault.totalExternalCredits(), handler.netInflows(), "token + credit flows");
        int256 owed = _owed();
        int256 tokenBackedOwed = owed - int256(vault.totalExternalCredits());
        assertTrue(int256(held) + 1 >= tokenBackedOwed, "USDC covers token-backed owed");
    }

    /// @notice PnL sums to zero: all value stays in balances, open PnL and the fee/penalty buckets;
    /// the only gap is rounding dust kept by the vault, at most one unit per realization.
    function invariant_pnlSumsToZeroLessFees() public view {
        _checkPnl();
    }

    function _checkPnl() internal view {
        int256 owed = _owed();
        int256 inflows = int256(handler.netInflows());
        assertTrue(owed <= inflows + 1, "vault never owes more than came in");
        assertTrue(owed + int256(handler.slack()) + 1 >= inflows, "dust bounded");
    }

    /// @notice A flat user's balance never decreases except by their own action.
    function invariant_flatUserNeverLoses() public view {
        _checkFlat();
    }

    function _checkFlat() internal view {
        assertFalse(handler.flatUserLost(), handler.lastLoss());
    }

    /// @notice The poke's safe-price summaries never hide a liquidatable account: every group whose
    /// summary is valid under the current parameters holds only single-market accounts, none
    /// liquidatable at the band's edges or at the mark when it is inside; and every poke screen
    /// returned exactly the exact screen's hits.
    function invariant_summariesNeverHideLiquidatable() public {
        _checkSummaries();
    }

    function _checkSummaries() internal {
        assertFalse(handler.screenMismatch(), "poke screen == exact screen");
        bytes32[2] memory ms = handler.markets();
        for (uint256 k; k < 2; ++k) if (vault.getUsersWithPositionsInMarketCount(ms[k]) != 0) _checkGroup0(ms[k]);
    }

    /// @dev The handler's few actors fill group 0 only.
    function _checkGroup0(bytes32 m) internal {
        (bool valid, uint256 lo, uint256 hi, uint256 gk, uint256 mask, bool proven) = vault.getRiskGroup(m, 0, 0);
        address[] memory list = vault.getUsersWithPositionsInMarketPage(m, 0, 20);
        for (uint256 i; i < list.length; ++i) {
            bool flagged = (mask >> i) & 1 == 1;
            if (proven && !flagged) assertFalse(vault.isLiquidatable(list[i], m, 0), "proven at mark");
        }
        if (!valid || gk != vault.getMarketInfo(m).initialMarginBps * vault.getRiskParams().mmrOfImrBps) return;
        if (lo == 0) lo = 1;
        if (hi > 1e13) hi = 1e13;
        if (lo > hi) return;
        uint256 mark = vault.getMarkPrice(m);
        for (uint256 i; i < list.length; ++i) {
            if (vault.getUserMarkets(list[i]).length != 1) {
                assertEq((mask >> i) & 1, 1, "a cross-margin entry is flagged");
                continue;
            }
            assertFalse(vault.isLiquidatable(list[i], m, lo), "healthy at lo");
            assertFalse(vault.isLiquidatable(list[i], m, hi), "healthy at hi");
            if (mark >= lo && mark <= hi) assertFalse(vault.isLiquidatable(list[i], m, mark), "healthy at mark");
        }
    }

    /// @notice Wide campaign: every property above after each step of 10,000 short random
    /// sequences of 5 calls (the named invariants run the global config: fewer, deeper sequences).
    /// hardhat-config: invariant.runs = 10000
    /// hardhat-config: invariant.depth = 5
    function invariant_allProperties_wide() public {
        _checkSummaries();
        _checkIndex();
        _checkPageWalk();
        _checkTokens();
        _checkPnl();
        _checkFlat();
    }

    /// @dev Balances + exact open PnL at the marks + insurance + escrow + fee pools - deficits.
    function _owed() internal view returns (int256 owed) {
        address[] memory actors = handler.actorsList();
        for (uint256 i; i < actors.length; ++i) owed += int256(vault.balanceOf(actors[i]));
        owed += int256(vault.balanceOf(keeper)) + int256(vault.balanceOf(address(this)));
        bytes32[2] memory ms = handler.markets();
        for (uint256 k; k < 2; ++k) {
            int256 markX18 = int256(vault.getMarkPrice(ms[k]) * 1e12);
            int256 open;
            for (uint256 i; i < actors.length; ++i) {
                int256 s = vault.getPosition(actors[i], ms[k]).size;
                if (s != 0) open += s * (markX18 - int256(vault.getEntryPriceX18(actors[i], ms[k])));
            }
            owed += open / 1e30;
            owed += int256(vault.insuranceFund(ms[k]) + vault.makerRewardEscrow(ms[k]) + vault.feePool(ms[k]));
            owed -= int256(vault.marketDeficit(ms[k]));
        }
    }
}
