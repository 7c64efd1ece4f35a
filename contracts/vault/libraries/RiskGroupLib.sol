// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultStorage} from "../storage/VaultStorage.sol";

/// @title RiskGroupLib
/// @notice Safe-price summaries over the per-market user index, so a liquidation poke can skip a
/// page of healthy accounts without reading them.
///
/// The index `usersWithPositions[marketId]` is cut into groups of GROUP consecutive entries. Each
/// group has one summary slot `{valid, crossMask, k, lo, hi}` with the promise:
///   if valid, k == initialMarginBps * mmrOfImrBps now, and lo <= mark <= hi, then no account of
///   the group outside `crossMask` is liquidatable at `mark` (the flagged entries, accounts in
///   more than one market, are checked exactly by the screen).
/// How the promise is kept:
///   - an account's own safe band: a single-market account (balance C, size q, entry e) is not
///     liquidatable at any price in [lo, hi] given by `bounds` (proof there); an account in two or
///     more markets has no band of its own (its other markets move it): its entries are flagged;
///   - every vault entry point that can make an account riskier (position change, balance
///     decrease) ends with `touch` for each account it changed, which widens the account's group
///     to include its new band (no external call happens in between: nobody reads a stale one);
///   - an index entry moved by swap-and-pop widens its destination group (or flags the entry); an
///     account entering a second (or further) market flags its existing and new entries; a flag
///     is cleared when a single-market account's band takes the entry over;
///   - a risk-parameter change alters k: a summary with another k counts as invalid, and the
///     first change to one of its accounts voids it for good (parameters may return to that k);
///   - a full exact scan of a group (VaultScreenModule) rewrites its summary exactly.
/// Safer changes (deposits, credits, profits) leave the summary as it is: still a superset.
library RiskGroupLib {
    /// @notice Index entries per summary group.
    uint256 internal constant GROUP = 20;

    uint256 private constant MASK96 = type(uint96).max;
    uint256 private constant K_SHIFT = 192;
    uint256 private constant MASK_SHIFT = 224; // GROUP cross flags in bits 224..243
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
    /// holding its only market's index entry. Accounts in 0 markets have no entry; accounts in 2+
    /// markets are flagged in each of their groups (IndexLib.add), which the screen checks exactly.
    /// `marketId` is the market the operation traded in: when the user still holds it, it is the
    /// only one (no list read); 0 when it traded in none (a withdrawal: no position slot read).
    function touch(VaultStorage.Layout storage s, address user, bytes32 marketId) internal {
        VaultStorage.Account storage a = s.accounts[user];
        if (a.marketCount != 1) return;
        bytes32 id = marketId != bytes32(0) && s.positions[marketId][user].size != 0 ? marketId : a.markets[0];
        VaultStorage.Position storage p = s.positions[id][user];
        // A long whose balance covers its whole cost basis is healthy at every price (its band is
        // [0, max]): it constrains no summary, so the group is not read. (Its entry was brought
        // into the group when the position opened: `opened`.)
        int256 size = p.size;
        if (size > 0 && uint256(a.balance) * ONE_SCALED >= ONE_SCALED + uint256(size) * p.entryPriceX18) return;
        widen(s, id, user, s.userInMarket[user][id] - 1);
    }

    /// @notice A single-market `user` just opened its position in `marketId` (a new index entry):
    /// bring the entry into its group now, so `touch` may skip accounts that are safe at every
    /// price without leaving a new group unsummarized.
    function opened(VaultStorage.Layout storage s, bytes32 marketId, address user) internal {
        if (s.accounts[user].marketCount != 1) return; // IndexLib.add flagged it already
        widen(s, marketId, user, s.userInMarket[user][marketId] - 1);
    }

    /// @notice Bring index entry `idx` (= `user`) into its group's summary: a single-market user's
    /// band widens the group and clears the entry's cross flag; a cross-market user sets it. A group
    /// whose only entry this is gets an exact summary; an invalid group stays so and a stale one
    /// (other k) becomes invalid (the next full screen rewrites it).
    function widen(VaultStorage.Layout storage s, bytes32 marketId, address user, uint256 idx) internal {
        VaultStorage.Account storage a = s.accounts[user];
        uint256 k = factor(s, marketId);
        uint256 lo;
        uint256 hi = MASK96;
        bool cross = a.marketCount != 1;
        if (!cross) {
            VaultStorage.Position storage p = s.positions[marketId][user];
            (lo, hi) = bounds(p.size, p.entryPriceX18, a.balance, k);
        }
        mapping(uint256 => uint256) storage groups = s.riskGroups[marketId];
        uint256 g = idx / GROUP;
        uint256 flag = crossFlag(idx % GROUP);
        if (idx % GROUP == 0 && idx + 1 == s.usersWithPositions[marketId].length) {
            groups[g] = pack(lo, hi, k, cross ? flag : 0);
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
        uint256 next = cross ? cur | flag : _merge(cur, lo, hi) & ~flag;
        if (next != cur) groups[g] = next;
    }

    /// @notice `user`, already in another market, entered `marketId` at index entry `idx`: flag
    /// the new entry, and when it is the user's second market also its existing entry, whose band
    /// no longer describes it.
    function enterAnotherMarket(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        uint256 idx,
        uint256 count
    ) internal {
        widen(s, marketId, user, idx); // marketCount is already count + 1 >= 2: flags the entry
        if (count == 1) {
            bytes32 first = s.accounts[user].markets[0];
            widen(s, first, user, s.userInMarket[user][first] - 1);
        }
    }

    /// @dev `cur` widened to include [lo, hi].
    function _merge(uint256 cur, uint256 lo, uint256 hi) private pure returns (uint256) {
        uint256 glo = cur & MASK96;
        uint256 ghi = (cur >> 96) & MASK96;
        if (lo > glo) cur = (cur & ~MASK96) | lo;
        if (hi < ghi) cur = (cur & ~(MASK96 << 96)) | (hi << 96);
        return cur;
    }

    /// @notice Whether `summary` proves the group's single-market accounts healthy at `mark` (never
    /// at 0: without a mark the vault values positions at their entry). Its flagged entries
    /// (`crossMask`) still need an exact check.
    function isClean(uint256 summary, uint256 mark, uint256 k) internal pure returns (bool) {
        return
            mark != 0 &&
            summary & VALID != 0 &&
            (summary >> K_SHIFT) & type(uint32).max == k &&
            mark < MASK96 && // 2^96-1 is the "no safe price" bound, never a proof
            mark >= summary & MASK96 &&
            mark <= (summary >> 96) & MASK96;
    }

    /// @notice Entries of the group (bit j = entry group * GROUP + j) that are, or were, held by an
    /// account in more than one market.
    function crossMask(uint256 summary) internal pure returns (uint256) {
        return (summary >> MASK_SHIFT) & ((1 << GROUP) - 1);
    }

    /// @notice The summary bit flagging entry `j` (0..GROUP-1) of a group.
    function crossFlag(uint256 j) internal pure returns (uint256) {
        return 1 << (MASK_SHIFT + j);
    }

    function pack(uint256 lo, uint256 hi, uint256 k, uint256 flags) internal pure returns (uint256) {
        return VALID | flags | (k << K_SHIFT) | (hi << 96) | lo;
    }

    function unpack(uint256 summary) internal pure returns (bool valid, uint256 lo, uint256 hi, uint256 k) {
        valid = summary & VALID != 0;
        lo = summary & MASK96;
        hi = (summary >> 96) & MASK96;
        k = (summary >> K_SHIFT) & type(uint32).max;
    }
}
