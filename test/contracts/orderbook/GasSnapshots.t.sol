// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiqBase} from "./utils/LiqBase.sol";

/// @notice Gas of the hot paths, written to snapshots/ by `hardhat test solidity --snapshot`
/// (reviews see every change). Each measured call is its own transaction (isolate), so cold and
/// warm storage costs are those a real transaction pays; numbers exclude the 21,000 intrinsic gas
/// and calldata that bench/orderbook.bench.ts (receipts) includes.
/// forge-config: default.isolate = true
contract GasSnapshotsTest is LiqBase {
    /// @dev Steady state of a market: every trader already holds a position and a resting order
    /// away from the touch (first-ever order/position costs are the .newPositions cases).
    function _warm() internal {
        limit(alice, 1_000 * P, 1 * U, false);
        market(bob, 1 * U, true);
        limit(carol, 1_000 * P, 1 * U, true);
        market(dave, 1 * U, false);
        limit(alice, 1_500 * P, 0.01e18, false);
        limit(bob, 500 * P, 0.01e18, true);
        limit(carol, 1_500 * P, 0.01e18, false);
        limit(dave, 500 * P, 0.01e18, true);
        nextBlock();
    }

    function test_gas_limitNewLevel() public {
        _warm();
        limit(bob, 1_000 * P, 1 * U, true);
        vm.prank(alice);
        ob.placeMarginLimitOrder(999 * P, 1 * U, true);
        vm.snapshotGasLastCall("orderbook", "limit.newLevel");
    }

    function test_gas_limitExistingLevel() public {
        _warm();
        limit(bob, 1_000 * P, 1 * U, true);
        vm.prank(alice);
        ob.placeMarginLimitOrder(1_000 * P, 1 * U, true);
        vm.snapshotGasLastCall("orderbook", "limit.existingLevel");
    }

    function test_gas_cancel() public {
        _warm();
        limit(bob, 1_000 * P, 1 * U, true);
        uint256 id = limit(alice, 999 * P, 1 * U, true);
        vm.prank(alice);
        ob.cancelOrder(id);
        vm.snapshotGasLastCall("orderbook", "cancel");
    }

    function test_gas_marketFill1_existingPositions() public {
        _warm();
        limit(alice, 1_000 * P, 1 * U, false);
        vm.prank(bob);
        ob.placeMarginMarketOrder(1 * U, true);
        vm.snapshotGasLastCall("orderbook", "market.fill1");
    }

    function test_gas_marketFill1_newPositions() public {
        limit(alice, 1_000 * P, 1 * U, false);
        vm.prank(bob);
        ob.placeMarginMarketOrder(1 * U, true);
        vm.snapshotGasLastCall("orderbook", "market.fill1.newPositions");
    }

    function test_gas_marketFill10() public {
        address[10] memory makers;
        for (uint256 i; i < 10; ++i) {
            makers[i] = address(uint160(0x3000 + i));
            fund(makers[i], 10_000 * P);
            limit(makers[i], 1_000 * P, 0.01e18, false);
        }
        market(bob, 0.1e18, true); // every maker and the taker already hold positions
        for (uint256 i; i < 10; ++i) limit(makers[i], 1_000 * P, 1 * U, false);
        nextBlock();
        vm.prank(bob);
        ob.placeMarginMarketOrder(10 * U, true);
        vm.snapshotGasLastCall("orderbook", "market.fill10");
    }

    function test_gas_marketSweep5() public {
        _warm();
        for (uint256 i; i < 5; ++i) limit(alice, (1_000 + i) * P, 1 * U, false);
        limit(alice, 1_010 * P, 1 * U, false);
        vm.prank(bob);
        ob.placeMarginMarketOrder(5 * U, true);
        vm.snapshotGasLastCall("orderbook", "market.sweep5");
    }

    /// @dev Worst targeted liquidation: one victim closed across MAX_LEVELS = 3 levels.
    function test_gas_liquidateUserWorst() public {
        openVictim(address(0x1001), 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        obl.liquidateUser(address(0x1001));
        vm.snapshotGasLastCall("orderbook", "liq.liquidateUser.worst");
    }

    /// @dev Worst poke: 3 liquidatable users in the page, each crossing 3 levels.
    function test_gas_pokeWorst() public {
        for (uint256 i; i < 3; ++i) openVictim(address(uint160(0x1001 + i)), 1_000 * P, 9 * U, true);
        bookAt(905, true);
        for (uint256 i; i < 6; ++i) limit(bob, (890 - 5 * i) * P, 3 * U, true);
        walkMarkTo(905, true);
        obl.pokeLiquidations();
        vm.snapshotGasLastCall("orderbook", "liq.poke.worst");
    }

    /// @dev No-op poke over a full page of 20 healthy users.
    function test_gas_pokeNoop() public {
        for (uint256 i; i < 20; ++i) openVictim(address(uint160(0x1001 + i)), 10_000 * P, 1 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        obl.pokeLiquidations();
        vm.snapshotGasLastCall("orderbook", "liq.poke.noop");
    }
}
