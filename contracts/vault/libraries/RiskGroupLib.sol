// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultStorage} from "../storage/VaultStorage.sol";

/// @title RiskGroupLib
/// @notice Safe-price summaries over the per-market user index, so a liquidation poke can skip a
/// page of healthy accounts without reading them.
///
/// The index `usersWithPositions[marketId]` is cut into groups of GROUP consecutive entries. Each
/// group has one summary slot `{valid, k, lo, hi}` with the promise:
///   if valid, k == initialMarginBps * mmrOfImrBps now, and lo <= mark <= hi, then no account in
///   the group is liquidatable at `mark`.
/// How the promise is kept:
///   - an account's own safe band: a single-market account (balance C, size q, entry e) is not
///     liquidatable at any price in [lo, hi] given by `bounds` (proof there); an account in two or
///     more markets has no band of its own: every group holding it is invalid;
///   - every vault entry point that can make an account riskier (position change, balance
///     decrease) ends with `touch` for each account it changed, which widens the account's group
///     to include its new band (no external call happens in between: nobody reads a stale one);
///   - an index entry moved by swap-and-pop widens its destination group; an account entering a
///     second (or further) market invalidates the groups of its existing and new entries;
///   - a risk-parameter change alters k: a summary with another k counts as invalid, and the
///     first change to one of its accounts voids it for good (parameters may return to that k);
///   - a full exact scan of a group (VaultScreenModule) rewrites its summary exactly.
/// Safer changes (deposits, credits, profits) leave the summary as it is: still a superset.
library RiskGroupLib {
    /// @notice Index entries per summary group.
    uint256 internal constant GROUP = 20;

    uint256 private constant MASK96 = type(uint96).max;
    uint256 private constant K_SHIFT = 192;
    uint256 private constant VALID = 1 << 255;
    /// @dev 1 micro-USDC, scaled like F below (USDC 1e6 * 1e30 = size 1e18 * priceX18 1e18).
    uint256 private constant ONE_SCALED = 1e30;
    uint256 private constant K_ONE = 1e8; // k is a fraction of 1e8 (bps * bps)

    /// @notice The maintenance factor summaries depend on: initialMarginBps * mmrOfImrBps (1e8 = 100 %).
    function factor(VaultStorage.Layout storage s, bytes32 marketId) internal view returns (uint256) {
        return uint256(s.markets[marketId].initialMarginBps) * s.mmrOfImrBps;
    }

    /// @notice Safe band of a single-market account: at every 6-decimal price P in [lo, hi] its
    /// equity is at least its maintenance margin (MarginLib.health), so `isLiquidatable` is false.
    /// @dev With q = size, e = entryX18, P the price, m = k / 1e8 and every term scaled by 1e30:
    ///   F(P) = C*1e30 + q*(P*1e12 - e) - |q|*P*k*1e4
    /// is 1e30 times the real-valued equity minus maintenance. The vault's integer equity is more
    /// than the real one minus 1 (PositionMath.pnl rounds a loss up by less than 1) and its integer
    /// maintenance is at most the real one (both divisions round down), so F(P) >= 1e30 implies
    /// integer equity - maintenance > 0. F is linear in P: increasing for a long (slope
    /// q*(1e12 - k*1e4) > 0 when k < 1e8), decreasing for a short. Solving F(P) >= 1e30 for P gives
    /// lo (rounded up) for a long and hi (rounded down) for a short. No safe price: lo = 2^96-1 for
    /// a long, hi = 0 for a short (marks are never 0 here). Ranges: |q| < 2^103, e < 2^88,
    /// C < 2^128, k <= 1e8, so no product below overflows.
    function bounds(
        int256 size,
        uint256 entryX18,
        uint256 balance,
        uint256 k
    ) internal pure returns (uint256 lo, uint256 hi) {
        uint256 c = balance * ONE_SCALED;
        if (size > 0) {
            uint256 q = uint256(size);
            if (k >= K_ONE) return (MASK96, MASK96); // slope <= 0: never provably safe
            uint256 need = ONE_SCALED + q * entryX18; // F(P) >= 1e30  <=>  q*a*P >= need - c
            if (need <= c) return (0, MASK96);
            uint256 den = q * (1e12 - k * 1e4);
            lo = (need - c + den - 1) / den;
            return (lo > MASK96 ? MASK96 : lo, MASK96);
        }
        if (size < 0) {
            uint256 n = uint256(-size);
            uint256 have = c + n * entryX18; // F(P) >= 1e30  <=>  n*b*P <= have - 1e30
            if (have < ONE_SCALED) return (0, 0);
            hi = (have - ONE_SCALED) / (n * (1e12 + k * 1e4));
            return (0, hi > MASK96 ? MASK96 : hi);
        }
        return (0, MASK96);
    }

    /// @notice At the end of an operation that may have made `user` riskier: widen the group
    /// holding its only market's index entry. Accounts in 0 markets have no entry; in 2+ markets
    /// their groups are already invalid (IndexLib.add invalidates them). `marketId` is the market
    /// the operation traded in: when the user still holds it, it is the only one (no list read).
    function touch(VaultStorage.Layout storage s, address user, bytes32 marketId) internal {
        VaultStorage.Account storage a = s.accounts[user];
        if (a.marketCount != 1) return;
        bytes32 id = s.positions[marketId][user].size != 0 ? marketId : a.markets[0];
        widen(s, id, user, s.userInMarket[user][id] - 1);
    }

    /// @notice Widen the summary of the group holding index entry `idx` (= `user`) by the user's
    /// band. A group whose only entry this is gets an exact summary; an invalid group stays so
    /// and a stale one (other k) becomes invalid (the next full scan rewrites it). `user` is not required to be single-market:
    /// a cross-market account invalidates the group.
    function widen(VaultStorage.Layout storage s, bytes32 marketId, address user, uint256 idx) internal {
        mapping(uint256 => uint256) storage groups = s.riskGroups[marketId];
        uint256 g = idx / GROUP;
        VaultStorage.Account storage a = s.accounts[user];
        if (a.marketCount != 1) return invalidate(s, marketId, idx);
        uint256 k = factor(s, marketId);
        VaultStorage.Position storage p = s.positions[marketId][user];
        (uint256 lo, uint256 hi) = bounds(p.size, p.entryPriceX18, a.balance, k);
        if (idx % GROUP == 0 && idx + 1 == s.usersWithPositions[marketId].length) {
            groups[g] = pack(lo, hi, k);
            return;
        }
        uint256 cur = groups[g];
        if (cur & VALID == 0) return;
        if ((cur >> K_SHIFT) & type(uint32).max != k) {
            // Summarized under other risk parameters: it cannot absorb this change, and must not
            // come back to life if those parameters return.
            groups[g] = 0;
            return;
        }
        uint256 glo = cur & MASK96;
        uint256 ghi = (cur >> 96) & MASK96;
        if (lo <= glo && hi >= ghi) return;
        groups[g] = pack(lo > glo ? lo : glo, hi < ghi ? hi : ghi, k);
    }

    /// @notice Drop the summary of the group holding index entry `idx` (a cross-market account
    /// entered it): the next full scan rewrites it.
    function invalidate(VaultStorage.Layout storage s, bytes32 marketId, uint256 idx) internal {
        mapping(uint256 => uint256) storage groups = s.riskGroups[marketId];
        uint256 g = idx / GROUP;
        if (groups[g] != 0) groups[g] = 0;
    }

    /// @notice Whether the summary of group `g` proves every account in it healthy at `mark`.
    function isClean(uint256 summary, uint256 mark, uint256 k) internal pure returns (bool) {
        return
            summary & VALID != 0 &&
            (summary >> K_SHIFT) & type(uint32).max == k &&
            mark < MASK96 && // 2^96-1 is the "no safe price" bound, never a proof
            mark >= summary & MASK96 &&
            mark <= (summary >> 96) & MASK96;
    }

    function pack(uint256 lo, uint256 hi, uint256 k) internal pure returns (uint256) {
        return VALID | (k << K_SHIFT) | (hi << 96) | lo;
    }

    function unpack(uint256 summary) internal pure returns (bool valid, uint256 lo, uint256 hi, uint256 k) {
        valid = summary & VALID != 0;
        lo = summary & MASK96;
        hi = (summary >> 96) & MASK96;
        k = (summary >> K_SHIFT) & type(uint32).max;
    }
}
