// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PositionMath
/// @notice Pure position arithmetic. Units: sizes 18 decimals, prices USDC 6 decimals, entry prices
/// kept at 18 decimals (`X18` = price * 1e12) so weighted averages of fractional sizes stay exact to
/// 1e-18 USDC per unit. Rounding always favours the vault: losses round up, gains round down.
library PositionMath {
    uint256 internal constant PRICE_SCALE = 1e12; // 6-decimal price -> 18-decimal price
    uint256 internal constant ONE = 1e18; // one unit of size
    uint256 internal constant PNL_DIV = 1e30; // size(1e18) * priceX18(1e18) -> USDC(1e6)
    uint256 internal constant BPS = 10_000;

    struct Trade {
        int256 newSize;
        uint256 newEntryX18;
        int256 realizedPnl;
        uint256 closedAbs;
        uint256 openedAbs;
        uint256 lock; // filled by the ledger: initial margin for openedAbs
        uint256 newLocked; // filled by the ledger: the position's margin after the trade
    }

    function abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }

    /// @notice USDC notional of `sizeAbs` at a 6-decimal `price`, rounded down.
    function notional(uint256 sizeAbs, uint256 price) internal pure returns (uint256) {
        return (sizeAbs * price) / ONE;
    }

    /// @notice Initial margin for `sizeAbs` at `price`, rounded up.
    function initialMargin(uint256 sizeAbs, uint256 price, uint256 imBps) internal pure returns (uint256) {
        uint256 num = sizeAbs * price * imBps;
        return num == 0 ? 0 : (num - 1) / (ONE * BPS) + 1;
    }

    /// @notice PnL of `size` entered at `entryX18` marked at 6-decimal `price`; losses round up.
    function pnl(int256 size, uint256 entryX18, uint256 price) internal pure returns (int256) {
        if (size == 0) return 0;
        int256 diff = int256(price * PRICE_SCALE) - int256(entryX18);
        if (size < 0) diff = -diff;
        uint256 mag = abs(diff) * abs(size);
        if (diff >= 0) return int256(mag / PNL_DIV);
        return -int256(mag == 0 ? 0 : (mag - 1) / PNL_DIV + 1);
    }

    /// @notice Apply `delta` at `price` to a position: weighted-average entry on increase, realized
    /// PnL on reduce/close, and a flip (close + open the remainder at `price`) in one step.
    function applyTrade(
        int256 size,
        uint256 entryX18,
        int256 delta,
        uint256 price
    ) internal pure returns (Trade memory t) {
        uint256 priceX18 = price * PRICE_SCALE;
        t.newSize = size + delta;
        uint256 sizeAbs = abs(size);
        uint256 deltaAbs = abs(delta);
        if (size == 0 || (size > 0) == (delta > 0)) {
            uint256 newAbs = sizeAbs + deltaAbs;
            t.newEntryX18 = (sizeAbs * entryX18 + deltaAbs * priceX18) / newAbs;
            t.openedAbs = deltaAbs;
            return t;
        }
        t.closedAbs = deltaAbs < sizeAbs ? deltaAbs : sizeAbs;
        t.realizedPnl = pnl(size > 0 ? int256(t.closedAbs) : -int256(t.closedAbs), entryX18, price);
        if (deltaAbs < sizeAbs) {
            t.newEntryX18 = entryX18;
        } else if (deltaAbs > sizeAbs) {
            t.openedAbs = deltaAbs - sizeAbs;
            t.newEntryX18 = priceX18;
        }
    }
}
