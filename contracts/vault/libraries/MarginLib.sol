// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultStorage} from "../storage/VaultStorage.sol";
import {PositionMath} from "./PositionMath.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";

/// @title MarginLib
/// @notice Cross-margin reads over one user's (at most 16) markets. One pass per question.
///   collateral  = balance + sum(min(uPnL, 0))            (losses owed count, gains do not)
///   required    = locked margin + reserved margin
///   free        = collateral - required
///   equity      = balance + sum(uPnL)
///   maintenance = sum(|size| * mark / 1e18 * initialMarginBps * mmrOfImrBps / 1e8)
/// A market without a mark yet is valued at the position's entry (uPnL 0).
library MarginLib {
    uint256 internal constant BPS2 = 1e8;

    /// @return collateral balance plus unrealized losses; @return required locked + reserved
    function marginState(
        VaultStorage.Layout storage s,
        address user
    ) internal view returns (int256 collateral, uint256 required) {
        VaultStorage.Account storage a = s.accounts[user];
        collateral = int256(uint256(a.balance));
        required = uint256(a.lockedMargin) + uint256(a.reservedMargin);
        uint256 n = a.marketCount;
        for (uint256 i; i < n; ++i) {
            bytes32 id = a.markets[i];
            uint256 mark = s.markets[id].markPrice;
            if (mark == 0) continue;
            VaultStorage.Position storage p = s.positions[id][user];
            int256 u = PositionMath.pnl(p.size, p.entryPriceX18, mark);
            if (u < 0) collateral += u;
        }
    }

    function freeCollateral(VaultStorage.Layout storage s, address user) internal view returns (int256) {
        (int256 collateral, uint256 required) = marginState(s, user);
        return collateral - int256(required);
    }

    /// @notice Free collateral floored at 0.
    function freeFloored(VaultStorage.Layout storage s, address user) internal view returns (uint256) {
        int256 free = freeCollateral(s, user);
        return free > 0 ? uint256(free) : 0;
    }

    /// @notice Revert `InsufficientMargin` unless the user's free collateral is >= 0.
    function requireInitialMargin(VaultStorage.Layout storage s, address user, bytes32 marketId) internal view {
        (int256 collateral, uint256 required) = marginState(s, user);
        if (collateral < int256(required)) {
            revert ICoreVault.InsufficientMargin(user, marketId, required, collateral > 0 ? uint256(collateral) : 0);
        }
    }

    /// @notice Equity and maintenance requirement, valuing `priceMarket` at `price` when `price` != 0.
    function health(
        VaultStorage.Layout storage s,
        address user,
        bytes32 priceMarket,
        uint256 price
    ) internal view returns (int256 equity, uint256 maintenance) {
        VaultStorage.Account storage a = s.accounts[user];
        equity = int256(uint256(a.balance));
        uint256 mmr = s.mmrOfImrBps;
        uint256 n = a.marketCount;
        for (uint256 i; i < n; ++i) {
            bytes32 id = a.markets[i];
            VaultStorage.Market storage m = s.markets[id];
            VaultStorage.Position storage p = s.positions[id][user];
            int256 size = p.size;
            uint256 entryX18 = p.entryPriceX18;
            uint256 mark = (id == priceMarket && price != 0) ? price : m.markPrice;
            if (mark == 0) mark = entryX18 / PositionMath.PRICE_SCALE;
            equity += PositionMath.pnl(size, entryX18, mark);
            maintenance += (PositionMath.notional(PositionMath.abs(size), mark) * m.initialMarginBps * mmr) / BPS2;
        }
    }

    function isLiquidatable(
        VaultStorage.Layout storage s,
        address user,
        bytes32 marketId,
        uint256 price
    ) internal view returns (bool) {
        if (s.positions[marketId][user].size == 0) return false;
        (int256 equity, uint256 maintenance) = health(s, user, marketId, price);
        return equity < int256(maintenance);
    }
}
