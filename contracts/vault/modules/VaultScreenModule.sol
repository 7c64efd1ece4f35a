// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultModule} from "./VaultModule.sol";
import {VaultStorage} from "../storage/VaultStorage.sol";
import {MarginLib} from "../libraries/MarginLib.sol";
import {PositionMath} from "../libraries/PositionMath.sol";
import {RiskGroupLib} from "../libraries/RiskGroupLib.sol";

/// @title VaultScreenModule
/// @notice Liquidation screening over the per-market user index for CoreVault, run only by
/// delegatecall (like VaultRiskModule it declares no storage and refuses direct calls). CoreVault
/// deploys it in its own constructor, so it needs no deployment step of its own.
///   - `screenLiquidatable`: exact, read-only, for anyone (keepers screen with static calls);
///   - `pokeScreen`: the order book's poke. In every group whose safe-price summary (RiskGroupLib)
///     proves it healthy at the mark it checks only the flagged cross-margin entries; it screens
///     the other groups exactly and rewrites the summary of each group it screened whole.
/// @dev Function semantics are documented in ICoreVault.
contract VaultScreenModule is VaultModule {
    function screenLiquidatable(
        bytes32 marketId,
        uint256 offset,
        uint256 limit,
        uint256 mark,
        uint256 maxOut
    ) external view onlyDelegated returns (address[] memory users, uint256 scanned) {
        VaultStorage.Layout storage s = VaultStorage.load();
        uint256 len = s.usersWithPositions[marketId].length;
        if (limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
        uint256 end = offset + limit > len ? len : offset + limit;
        users = new address[](maxOut);
        if (offset >= end) {
            assembly {
                mstore(users, 0)
            }
            return (users, 0);
        }
        VaultStorage.Market storage m = s.markets[marketId];
        if (mark == 0) mark = m.markPrice;
        scanned =
            _scanExact(s, marketId, offset, end, mark, uint256(m.initialMarginBps) * s.mmrOfImrBps, users) - offset;
    }

    function pokeScreen(
        bytes32 marketId,
        uint256 offset,
        uint256 limit,
        uint256 mark,
        uint256 maxOut
    ) external onlyDelegated returns (address[] memory users, uint256 start, uint256 scanned, uint256 count) {
        VaultStorage.Market storage m = _marketOfCaller(marketId);
        VaultStorage.Layout storage s = VaultStorage.load();
        count = s.usersWithPositions[marketId].length;
        start = offset < count ? offset : 0;
        if (limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
        uint256 end = start + limit > count ? count : start + limit;
        // End the page at a group boundary when that still leaves entries to read: pages then line
        // up with groups, so every group is eventually screened whole and its summary rewritten.
        if (end < count && end % RiskGroupLib.GROUP != 0 && end - (end % RiskGroupLib.GROUP) > start) {
            end -= end % RiskGroupLib.GROUP;
        }
        Page memory p = Page({
            marketId: marketId,
            mark: mark != 0 ? mark : m.markPrice,
            k: uint256(m.initialMarginBps) * s.mmrOfImrBps,
            count: count,
            found: 0,
            users: new address[](maxOut),
            lo: 0,
            hi: 0,
            flags: 0
        });
        scanned = _screenGroups(s, p, start, end) - start;
        users = p.users;
    }

    /// @dev Screen index entries [i, end) exactly into `users` (its length becomes the hit count)
    /// until it is full; returns the first entry not read.
    function _scanExact(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        uint256 i,
        uint256 end,
        uint256 mark,
        uint256 k,
        address[] memory users
    ) private view returns (uint256) {
        address[] storage list = s.usersWithPositions[marketId];
        uint256 maxOut = users.length;
        uint256 found;
        for (; i < end && found < maxOut; ++i) {
            address user = list[i];
            (bool hit, , ) = _screenOne(s, user, marketId, mark, k);
            if (hit) users[found++] = user;
        }
        assembly {
            mstore(users, found)
        }
        return i;
    }

    /// @dev What one poke screen carries through its groups.
    struct Page {
        bytes32 marketId;
        uint256 mark;
        uint256 k;
        uint256 count; // index length
        uint256 found; // hits so far in `users`
        address[] users;
        uint256 lo; // the group being screened: highest long bound so far
        uint256 hi; // lowest short bound so far
        uint256 flags; // its entries without a band of their own (RiskGroupLib cross flags)
    }

    /// @dev Screen index entries [i, end) group by group into `p.users` (its length becomes the
    /// hit count) until it is full; returns the first entry not passed.
    function _screenGroups(
        VaultStorage.Layout storage s,
        Page memory p,
        uint256 i,
        uint256 end
    ) private returns (uint256) {
        mapping(uint256 => uint256) storage groups = s.riskGroups[p.marketId];
        uint256 maxOut = p.users.length;
        while (i < end && p.found < maxOut) {
            uint256 g = i / RiskGroupLib.GROUP;
            uint256 groupEnd = (g + 1) * RiskGroupLib.GROUP;
            uint256 stop = groupEnd < end ? groupEnd : end;
            uint256 summary = groups[g];
            if (RiskGroupLib.isClean(summary, p.mark, p.k)) {
                // Proven except its flagged (cross-margin) entries: check only those.
                i = _screenFlagged(s, p, i, stop, RiskGroupLib.crossMask(summary) << (g * RiskGroupLib.GROUP));
                continue;
            }
            // Whole group = from its first entry to its last existing one.
            bool whole = i == g * RiskGroupLib.GROUP && stop == (groupEnd < p.count ? groupEnd : p.count);
            uint256 exact;
            (i, exact) = _screenExact(s, p, i, stop);
            if (whole && i == stop && exact != summary) groups[g] = exact;
        }
        address[] memory users = p.users;
        uint256 found = p.found;
        assembly {
            mstore(users, found)
        }
        return i;
    }

    /// @dev Screen [i, stop) of one group exactly; returns the first entry not read and the
    /// summary of the entries read (band of the single-market accounts, flags for the others).
    function _screenExact(
        VaultStorage.Layout storage s,
        Page memory p,
        uint256 i,
        uint256 stop
    ) private view returns (uint256, uint256) {
        address[] storage list = s.usersWithPositions[p.marketId];
        uint256 maxOut = p.users.length;
        (p.lo, p.hi, p.flags) = (0, type(uint96).max, 0);
        for (; i < stop && p.found < maxOut; ++i) {
            address user = list[i];
            if (_screenFold(s, user, p, i % RiskGroupLib.GROUP)) p.users[p.found++] = user;
        }
        return (i, RiskGroupLib.pack(p.lo, p.hi, p.k, p.flags));
    }

    /// @dev In a proven group, check exactly the entries of [i, stop) whose bit is set in `flagged`
    /// (bit n = index entry n); returns the first entry not passed (after the last hit when the
    /// page fills up, so an unchecked entry is never passed over).
    function _screenFlagged(
        VaultStorage.Layout storage s,
        Page memory p,
        uint256 i,
        uint256 stop,
        uint256 flagged
    ) private view returns (uint256) {
        if (flagged >> i == 0) return stop;
        address[] storage list = s.usersWithPositions[p.marketId];
        uint256 maxOut = p.users.length;
        for (; i < stop; ++i) {
            if ((flagged >> i) & 1 == 0) continue;
            if (p.found == maxOut) return i;
            address user = list[i];
            (bool hit, , ) = _screenOne(s, user, p.marketId, p.mark, p.k);
            if (hit) p.users[p.found++] = user;
        }
        return stop;
    }

    /// @dev `_screenOne`, folding the account's band (or its cross flag, for entry `j` of the
    /// group) into the page's group summary.
    function _screenFold(
        VaultStorage.Layout storage s,
        address user,
        Page memory p,
        uint256 j
    ) private view returns (bool hit) {
        uint256 lo;
        uint256 hi;
        (hit, lo, hi) = _screenOne(s, user, p.marketId, p.mark, p.k);
        if (lo > hi) {
            p.flags |= RiskGroupLib.crossFlag(j); // _screenOne's marker for "no band of its own"
            return hit;
        }
        if (lo > p.lo) p.lo = lo;
        if (hi < p.hi) p.hi = hi;
    }

    /// @dev Exactly `MarginLib.isLiquidatable(s, user, marketId, mark)` (mark already defaulted to
    /// the market's), plus the account's safe band. An account whose only market is this one reads
    /// account slots 0 and 1 and the position slot; any other account is checked through
    /// MarginLib and reported with lo > hi (no band of its own).
    function _screenOne(
        VaultStorage.Layout storage s,
        address user,
        bytes32 marketId,
        uint256 mark,
        uint256 k
    ) private view returns (bool hit, uint256 lo, uint256 hi) {
        VaultStorage.Account storage a = s.accounts[user];
        if (a.marketCount != 1) return (MarginLib.isLiquidatable(s, user, marketId, mark), 1, 0);
        VaultStorage.Position storage p = s.positions[marketId][user];
        int256 size = p.size;
        uint256 entryX18 = p.entryPriceX18;
        uint256 balance = a.balance;
        (lo, hi) = RiskGroupLib.bounds(size, entryX18, balance, k);
        if (size == 0) return (false, lo, hi);
        uint256 px = mark != 0 ? mark : entryX18 / PositionMath.PRICE_SCALE;
        int256 equity = int256(balance) + PositionMath.pnl(size, entryX18, px);
        uint256 maintenance = (PositionMath.notional(PositionMath.abs(size), px) * k) / MarginLib.BPS2;
        hit = equity < int256(maintenance);
    }
}
