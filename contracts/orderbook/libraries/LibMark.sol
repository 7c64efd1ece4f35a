// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {IOBLiquidation} from "../../interfaces/IOBLiquidation.sol";

/// @title LibMark
/// @notice Mark price = median(best bid, best ask, third) where third is the fresh index price when
/// the market has one, else the last trade; a missing input falls back (two book sides: their mid;
/// one value: that value; none: the previous mark). The result is clamped to
/// anchor * (1 -/+ markClampBps / 1e4), where the anchor is the mark at the start of the current
/// block: one order or one print moves the mark at most inside the spread and at most
/// `markClampBps` per block, however many transactions the block holds.
library LibMark {
    uint256 internal constant BPS = 10_000;
    /// @notice Trades push the mark only when it moved at least this much from the vault's copy
    /// (liquidation paths push every change): saves a vault call on most trades.
    uint256 internal constant TRADE_PUSH_BPS = 10;

    /// @notice The mark as computed now, and the anchor it was clamped to.
    function compute(S.Layout storage s) internal view returns (uint256 mark, uint256 anchor) {
        uint256 ts = s.params.tickSize;
        uint256 bid = uint256(s.bestBid) * ts;
        uint256 ask = uint256(s.bestAsk) * ts;
        uint256 third = s.lastTradePrice;
        uint256 maxAge = s.params.indexMaxAge;
        // The index slot is read only when the market uses an index (maxAge != 0).
        if (maxAge != 0) {
            uint256 index = s.indexPrice;
            if (index != 0 && block.timestamp <= uint256(s.indexUpdatedAt) + maxAge) third = index;
        }
        uint256 raw;
        if (bid != 0 && ask != 0) {
            raw = third != 0 ? _median(bid, ask, third) : (bid + ask) / 2;
        } else if (third != 0) {
            raw = third;
        } else {
            raw = bid != 0 ? bid : ask;
        }
        anchor = s.markBlock == block.number ? s.markAnchor : s.markPrice;
        if (raw == 0) return (anchor, anchor);
        if (anchor == 0) return (raw, raw);
        uint256 clampBps = s.params.markClampBps;
        uint256 lo = (anchor * (BPS - clampBps)) / BPS;
        uint256 hi = (anchor * (BPS + clampBps)) / BPS;
        mark = raw < lo ? lo : (raw > hi ? hi : raw);
    }

    /// @notice Recompute and store the mark (anchor rolls over once per block).
    function refresh(S.Layout storage s) internal returns (uint256 mark) {
        uint256 anchor;
        (mark, anchor) = compute(s);
        if (s.markBlock != block.number) {
            s.markAnchor = uint64(anchor);
            s.markBlock = uint64(block.number);
        }
        s.markPrice = uint64(mark);
    }

    /// @notice After a trade: push only a move of at least TRADE_PUSH_BPS (or the first mark).
    function pushAfterTrade(S.Layout storage s, uint256 mark) internal {
        uint256 pushed = s.lastPushedMark;
        if (pushed != 0) {
            uint256 diff = mark > pushed ? mark - pushed : pushed - mark;
            if (diff * BPS < pushed * TRADE_PUSH_BPS) return;
        }
        push(s, mark);
    }

    /// @notice Push `mark` to the vault unless it is already there; a vault failure is reported,
    /// never fatal. Returns whether the vault now holds `mark`.
    function push(S.Layout storage s, uint256 mark) internal returns (bool ok) {
        if (mark == 0) return false;
        if (mark == s.lastPushedMark) return true;
        try ICoreVault(s.vault).updateMarkPrice(s.marketId, mark) {
            s.lastPushedMark = uint64(mark);
            return true;
        } catch {
            emit IOBLiquidation.MarkPushFailed(mark);
            return false;
        }
    }

    function _median(uint256 a, uint256 b, uint256 c) private pure returns (uint256) {
        (uint256 lo, uint256 hi) = a < b ? (a, b) : (b, a);
        return c < lo ? lo : (c > hi ? hi : c);
    }
}
