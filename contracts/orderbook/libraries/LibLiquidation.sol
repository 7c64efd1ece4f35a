// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {IOBLiquidation} from "../../interfaces/IOBLiquidation.sol";
import {IOBErrors} from "../../interfaces/IOBErrors.sol";
import {LibMatch} from "./LibMatch.sol";

/// @title LibLiquidation
/// @notice `_executeLiquidationMarketOrder` of the spec: close a liquidatable position against the
/// book within per-transaction bounds. Cost is bounded by maxLevels * maxFillsPerTaker matches.
library LibLiquidation {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant ONE = 1e18;

    struct Budget {
        uint256 remaining; // position size still to close
        uint256 notionalLeft; // USDC still allowed this transaction
        uint256 boundTick; // worst tick allowed (min for a sell, max for a buy)
        uint256 levelsLeft;
        uint256 fillsLeft;
        uint256 closed;
        uint256 closedNotional;
        uint256 count; // fills recorded
        uint256 lastPrice;
    }

    /// @notice Worst tick a liquidation may fill at: mark -/+ liqPriceBoundBps.
    function boundTick(S.Layout storage s, bool sell, uint256 mark) internal view returns (uint256) {
        uint256 ts = s.params.tickSize;
        uint256 b = s.params.liqPriceBoundBps;
        if (sell) return ((mark * (BPS - b)) / BPS + ts - 1) / ts; // round up: never below the bound
        return (mark * (BPS + b)) / BPS / ts;
    }

    /// @notice Close up to the budget of `user`'s position of `size` (non-zero): match against the
    /// book, then settle every fill, the liquidated side and the penalty in ONE vault call (which
    /// also checks that `user` is liquidatable: `UserNotLiquidatable` when not). A vault refusal
    /// reverts (the poke runs this in a self-call it can catch, so the book changes roll back with
    /// it). The liquidator share is recorded as owed to `liquidator` (claimLiquidatorReward).
    /// Returns the size closed (0 when the book has nothing inside the bound).
    function liquidate(
        S.Layout storage s,
        address user,
        int256 size,
        uint256 mark,
        address liquidator
    ) internal returns (uint256) {
        if (size == 0) return 0;
        bool sell = size > 0; // a long is closed by selling into bids
        uint256 maxFills = s.params.maxFillsPerTaker;
        Budget memory b = Budget({
            remaining: sell ? uint256(size) : uint256(-size),
            notionalLeft: s.params.liqNotionalCap,
            boundTick: boundTick(s, sell, mark),
            levelsLeft: s.maxLevels,
            fillsLeft: maxFills,
            closed: 0,
            closedNotional: 0,
            count: 0,
            lastPrice: 0
        });
        ICoreVault.LiquidationFill[] memory fills = new ICoreVault.LiquidationFill[](maxFills);
        uint256 lastTick;
        while (b.remaining != 0 && b.fillsLeft != 0 && b.notionalLeft != 0) {
            uint256 tick = sell ? s.bestBid : s.bestAsk;
            if (tick == 0 || (sell ? tick < b.boundTick : tick > b.boundTick)) break;
            if (tick != lastTick) {
                if (b.levelsLeft == 0) break;
                --b.levelsLeft;
                lastTick = tick;
            }
            --b.fillsLeft;
            if (!_fillOne(s, user, sell, tick, b, fills)) break;
        }
        uint256 n = b.count;
        if (n == 0) return 0;
        assembly {
            mstore(fills, n)
        }
        uint256 feeBps = s.params.makerFeeBps;
        for (uint256 i; i < n; ++i) fills[i].makerFee = (((fills[i].size * fills[i].price) / ONE) * feeBps) / BPS;
        s.lastTradePrice = uint64(b.lastPrice);
        _settle(s, user, liquidator, mark, b, fills);
        return b.closed;
    }

    /// @dev The one vault call, then the book's records of it: the maker pool (pending for
    /// settleMakerRewards) and the liquidator share (owed to `liquidator`). The vault's "not
    /// liquidatable" refusal becomes the book's `UserNotLiquidatable(user, mark)` (the book does
    /// not check first), any other refusal is re-raised unchanged.
    function _settle(
        S.Layout storage s,
        address user,
        address liquidator,
        uint256 mark,
        Budget memory b,
        ICoreVault.LiquidationFill[] memory fills
    ) private {
        uint256 badDebt;
        uint256 pool;
        uint256 reward;
        try ICoreVault(s.vault).settleLiquidation(s.marketId, user, liquidator, fills) returns (
            uint256 bad,
            uint256 makerPool,
            uint256 liquidatorShare
        ) {
            (badDebt, pool, reward) = (bad, makerPool, liquidatorShare);
        } catch (bytes memory err) {
            if (bytes4(err) == ICoreVault.NotLiquidatable.selector) revert IOBErrors.UserNotLiquidatable(user, mark);
            assembly {
                revert(add(err, 32), mload(err))
            }
        }
        if (pool != 0) {
            s.makerRewardPending += uint128(pool);
            emit IOBLiquidation.MakerRewardAccrued(user, pool, b.closedNotional);
        }
        if (reward != 0) {
            uint256 owed = s.liquidatorRewardOwed[liquidator] + reward;
            s.liquidatorRewardOwed[liquidator] = owed;
            emit IOBLiquidation.LiquidatorRewardAccrued(liquidator, user, reward, owed);
        }
        emit IOBLiquidation.UserLiquidated(user, liquidator, b.closed, b.closedNotional, badDebt);
    }

    /// @dev One match against the head order of `tick`, recorded in `fills[b.count]` (the book is
    /// updated now, the vault at the end). Returns false when the notional cap leaves less than
    /// one lot.
    function _fillOne(
        S.Layout storage s,
        address user,
        bool sell,
        uint256 tick,
        Budget memory b,
        ICoreVault.LiquidationFill[] memory fills
    ) private returns (bool) {
        uint256 lot = s.lotSize;
        LibMatch.Maker memory m = LibMatch.head(s, sell, tick, lot);
        if (m.trader == user) {
            LibMatch.cancelResting(s, m); // the liquidated account's own order leaves the book
            return true;
        }
        uint256 price = tick * s.params.tickSize;
        uint256 size = b.remaining < m.amount ? b.remaining : m.amount;
        uint256 byCap = (b.notionalLeft * ONE) / price;
        if (byCap < size) {
            size = byCap - (byCap % lot);
            if (size == 0) return false;
        }
        if (m.o.flags & S.FLAG_REDUCE_ONLY != 0) {
            size = _capReduceOnly(s, m.trader, sell, size, lot, fills, b.count);
            if (size == 0) {
                LibMatch.cancelResting(s, m);
                return true;
            }
        }
        uint256 release = LibMatch.releaseOnFill(m, size);
        uint256 notional = (size * price) / ONE;
        fills[b.count++] = ICoreVault.LiquidationFill(m.trader, release, size, price, 0);
        emit IOBLiquidation.LiquidationFill(user, m.trader, m.id, price, size);
        LibMatch.consume(s, m, size, release);
        b.remaining -= size;
        b.closed += size;
        b.closedNotional += notional;
        b.notionalLeft = notional < b.notionalLeft ? b.notionalLeft - notional : 0;
        b.lastPrice = price;
        return true;
    }

    /// @dev LibMatch.capReduceOnly minus what `maker` already takes in this (not yet settled)
    /// liquidation: every earlier fill of theirs here is on the same side and reduces the position.
    function _capReduceOnly(
        S.Layout storage s,
        address maker,
        bool sell,
        uint256 size,
        uint256 lot,
        ICoreVault.LiquidationFill[] memory fills,
        uint256 n
    ) private view returns (uint256) {
        // The maker buys when the liquidated account sells. Whole lots: positions and earlier
        // fills are lot multiples, so the difference is too.
        uint256 reducible = LibMatch.capReduceOnly(s, maker, sell, type(uint256).max, lot);
        for (uint256 i; i < n; ++i) {
            if (fills[i].maker == maker) reducible = fills[i].size < reducible ? reducible - fills[i].size : 0;
        }
        return size < reducible ? size : reducible;
    }
}
