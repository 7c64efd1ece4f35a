// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OBTestBase} from "./OBTestBase.sol";

/// @notice Scenario helpers for liquidation tests: levered victims against carol, then a price
/// move made of real orders and trades (no price is ever injected).
abstract contract LiqBase is OBTestBase {
    /// @dev Victim deposits `deposit` and buys (or sells) `size` from carol at 1,000.
    function openVictim(address victim, uint256 deposit, uint256 size, bool isLong) internal {
        fund(victim, deposit);
        limit(carol, 1_000 * P, size, !isLong);
        market(victim, size, isLong);
    }

    /// @dev Book after a move to `px`: bob bids px, px-5, px-10 (3 units each) and dave asks
    /// px+5 for a long scenario; mirrored for a short scenario (asks px, px+5, px+10, bid px-5).
    /// Dave's 0.1 at px, queued first, is what walkMarkTo's tiny trades consume.
    function bookAt(uint256 px, bool longScenario) internal {
        limit(dave, px * P, 0.1e18, longScenario);
        if (longScenario) {
            limit(bob, px * P, 3 * U, true);
            limit(bob, (px - 5) * P, 3 * U, true);
            limit(bob, (px - 10) * P, 3 * U, true);
            limit(dave, (px + 5) * P, 1 * U, false);
        } else {
            limit(bob, px * P, 3 * U, false);
            limit(bob, (px + 5) * P, 3 * U, false);
            limit(bob, (px + 10) * P, 3 * U, false);
            limit(dave, (px - 5) * P, 1 * U, true);
        }
    }

    /// @dev Tiny trades at `px` in successive blocks until the clamped mark reaches it (each
    /// block the mark may move `markClampBps` from its anchor). Trades never liquidate anyone.
    function walkMarkTo(uint256 px, bool longScenario) internal {
        for (uint256 k; k < 8 && vault.getMarkPrice(MARKET) != px * P; ++k) {
            nextBlock();
            market(alice, 0.01e18, !longScenario); // alice hits dave's 0.1 at px
        }
        assertEq(vault.getMarkPrice(MARKET), px * P, "mark reached");
        nextBlock();
    }
}
