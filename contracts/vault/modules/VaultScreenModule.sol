// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {VaultBase} from "../VaultBase.sol";
import {VaultStorage} from "../storage/VaultStorage.sol";
import {MarginLib} from "../libraries/MarginLib.sol";
import {PositionMath} from "../libraries/PositionMath.sol";
import {RiskGroupLib} from "../libraries/RiskGroupLib.sol";

/// @title VaultScreenModule
/// @notice Liquidation screening over the per-market user index for CoreVault, run only by
/// delegatecall (like VaultRiskModule it declares no storage and refuses direct calls). CoreVault
/// deploys it in its own constructor, so it needs no deployment step of its own.
///   - `screenLiquidatable`: exact, read-only, for anyone (keepers screen with static calls);
///   - `pokeScreen`: the order book's poke. It skips every group whose safe-price summary
///     (RiskGroupLib) proves it healthy at the mark, screens the other entries exactly, and
///     rewrites the summary of each group it screened whole.
/// @dev Function semantics are documented in ICoreVault.
contract VaultScreenModule is VaultBase {
    address private immutable SELF;

    constructor() {
        SELF = address(this);
        _disableInitializers();
    }

    modifier onlyDelegated() {
        if (address(this) == SELF) revert ICoreVault.NotDelegated();
        _;
    }

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
            cross: false
        });
        scanned = _screenGroups(s, p, start, end) - start;
        users = p.users;
    }

    function getRiskGroup(
        bytes32 marketId,
        uint256 group
    ) external view onlyDelegated returns (bool valid, uint256 lo, uint256 hi, uint256 k) {
        return RiskGroupLib.unpack(VaultStorage.load().riskGroups[marketId][group]);
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
        bool cross; // an entry without a band of its own
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
            if (p.mark != 0 && RiskGroupLib.isClean(summary, p.mark, p.k)) {
                i = stop;
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
    /// summary of the entries read (0 when one of them has no band of its own).
    function _screenExact(
        VaultStorage.Layout storage s,
        Page memory p,
        uint256 i,
        uint256 stop
    ) private view returns (uint256, uint256) {
        address[] storage list = s.usersWithPositions[p.marketId];
        uint256 maxOut = p.users.length;
        (p.lo, p.hi, p.cross) = (0, type(uint96).max, false);
        for (; i < stop && p.found < maxOut; ++i) {
            address user = list[i];
            if (_screenFold(s, user, p)) p.users[p.found++] = user;
        }
        return (i, p.cross ? 0 : RiskGroupLib.pack(p.lo, p.hi, p.k));
    }

    /// @dev `_screenOne`, folding the account's band into the page's group summary.
    function _screenFold(VaultStorage.Layout storage s, address user, Page memory p) private view returns (bool hit) {
        uint256 lo;
        uint256 hi;
        (hit, lo, hi) = _screenOne(s, user, p.marketId, p.mark, p.k);
        if (lo > p.lo) p.lo = lo;
        if (hi < p.hi) p.hi = hi;
        if (lo > hi) p.cross = true; // _screenOne's marker for "no band of its own"
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
