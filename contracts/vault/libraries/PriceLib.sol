// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultStorage} from "../storage/VaultStorage.sol";
import {PositionMath} from "./PositionMath.sol";
import {MarginLib} from "./MarginLib.sol";

/// @title PriceLib
/// @notice Liquidation and bankruptcy prices of one position, other markets held at their marks.
/// With C = balance + uPnL(other markets) [- maintenance(other markets) for the liquidation price],
/// a = |size|, e = entry, k = initialMarginBps * mmrOfImrBps / 1e8 (0 for bankruptcy):
///   long : C + a (p - e) = a p k  =>  p = (a e - C) / (a (1 - k))
///   short: C + a (e - p) = a p k  =>  p = (a e + C) / (a (1 + k))
/// 0 means no such price (a long that survives any price, or a short already past it).
library PriceLib {
    function price(
        VaultStorage.Layout storage s,
        address user,
        bytes32 marketId,
        bool withMaintenance
    ) internal view returns (uint256) {
        VaultStorage.Position storage p = s.positions[marketId][user];
        int256 size = p.size;
        if (size == 0) return 0;
        (int256 c, uint256 k) = _rest(s, user, marketId, withMaintenance);
        uint256 a = PositionMath.abs(size);
        // a * e in USDC scaled by 1e24 (size 1e18 * priceX18 1e18 / 1e12); C scaled by 1e18 to match.
        int256 ae = int256((a * p.entryPriceX18) / PositionMath.PRICE_SCALE);
        int256 num = size > 0 ? ae - c * 1e18 : ae + c * 1e18;
        if (num <= 0) return 0;
        uint256 den = size > 0 ? MarginLib.BPS2 - k : MarginLib.BPS2 + k;
        return (uint256(num) * MarginLib.BPS2) / (a * den);
    }

    /// @dev C (balance + other markets' uPnL [- their maintenance]) and k (this market's IM x MMR, 1e8 scale).
    function _rest(
        VaultStorage.Layout storage s,
        address user,
        bytes32 marketId,
        bool withMaintenance
    ) private view returns (int256 c, uint256 k) {
        VaultStorage.Position storage p = s.positions[marketId][user];
        VaultStorage.Market storage m = s.markets[marketId];
        uint256 mark = m.markPrice;
        if (mark == 0) mark = p.entryPriceX18 / PositionMath.PRICE_SCALE;
        (int256 equity, uint256 maintenance) = MarginLib.health(s, user, marketId, mark);
        c = equity - PositionMath.pnl(p.size, p.entryPriceX18, mark);
        if (withMaintenance) {
            k = uint256(m.initialMarginBps) * s.mmrOfImrBps;
            uint256 own = (PositionMath.notional(PositionMath.abs(p.size), mark) * k) / MarginLib.BPS2;
            c -= int256(maintenance - own);
        }
    }
}
