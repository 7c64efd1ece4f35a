// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {IOBTrading} from "../../interfaces/IOBTrading.sol";
import {LibBook} from "./LibBook.sol";

/// @title LibMatch
/// @notice The trade executor. Internal only: it is reachable solely from the trading facet's
/// order entry points (for the taker = msg.sender) and has no external entry point of its own.
library LibMatch {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant ONE = 1e18;

    struct Taker {
        address trader;
        uint48 orderId;
        bool isBuy;
        uint256 limitTick;
        uint256 remaining;
    }

    /// @notice Match `t` against the opposite side in price-time priority until it is filled, the
    /// next level is beyond `limitTick`, the side is empty or `maxFillsPerTaker` matches happened.
    /// @return filled amount matched; `boundHit` when it stopped on the fill bound.
    function matchTaker(S.Layout storage s, Taker memory t) internal returns (uint256 filled, bool boundHit) {
        uint256 maxFills = s.params.maxFillsPerTaker;
        uint256 fills;
        uint256 lastPrice;
        while (t.remaining != 0) {
            uint256 tick = t.isBuy ? s.bestAsk : s.bestBid;
            if (tick == 0 || (t.isBuy ? tick > t.limitTick : tick < t.limitTick)) break;
            if (fills == maxFills) {
                boundHit = true;
                break;
            }
            ++fills;
            uint48 id = LibBook.levelOf(s, !t.isBuy, tick).head;
            S.Order memory o = s.orders[id];
            if (o.trader == t.trader) {
                cancelResting(s, id, o);
                emit IOBTrading.SelfTradePrevented(id, t.orderId, t.trader);
                continue;
            }
            uint256 size = t.remaining < o.amount ? t.remaining : o.amount;
            if (o.flags & S.FLAG_REDUCE_ONLY != 0) {
                size = capReduceOnly(s, o.trader, !t.isBuy, size);
                if (size == 0) {
                    cancelResting(s, id, o);
                    continue;
                }
            }
            uint256 price = tick * s.params.tickSize;
            _settle(s, t, id, o, size, price);
            consume(s, id, o, size);
            unchecked {
                // size <= t.remaining by construction.
                t.remaining -= size;
                filled += size;
            }
            lastPrice = price;
        }
        if (lastPrice != 0) s.lastTradePrice = uint64(lastPrice);
    }

    function _settle(
        S.Layout storage s,
        Taker memory t,
        uint48 id,
        S.Order memory o,
        uint256 size,
        uint256 price
    ) private {
        uint256 notional = (size * price) / ONE;
        uint256 makerFee = (notional * s.params.makerFeeBps) / BPS;
        uint256 takerFee = (notional * s.params.takerFeeBps) / BPS;
        ICoreVault(s.vault).settleFill(
            ICoreVault.Fill({
                marketId: s.marketId,
                maker: o.trader,
                taker: t.trader,
                takerIsBuy: t.isBuy,
                size: size,
                price: price,
                makerOrderId: id,
                makerRemaining: o.amount,
                makerFee: makerFee,
                takerFee: takerFee
            })
        );
        emit IOBTrading.TradeExecuted(id, t.orderId, o.trader, t.trader, t.isBuy, price, size, makerFee, takerFee);
    }

    /// @notice Take `size` off resting order `id`: delete it when exhausted, else shrink it and
    /// its level total. The vault already released the matching share of its reservation.
    function consume(S.Layout storage s, uint48 id, S.Order memory o, uint256 size) internal {
        if (size == o.amount) {
            LibBook.remove(s, id, o);
        } else {
            // size < o.amount <= uint96 max and the level total includes o.amount.
            unchecked {
                s.orders[id].amount = uint96(o.amount - size);
                LibBook.levelOf(s, o.flags & S.FLAG_BUY != 0, o.tick).total -= uint128(size);
            }
        }
    }

    /// @notice Remove a resting order without a fill and release its whole reservation.
    function cancelResting(S.Layout storage s, uint48 id, S.Order memory o) internal {
        LibBook.remove(s, id, o);
        if (o.flags & S.FLAG_REDUCE_ONLY == 0) {
            ICoreVault(s.vault).releaseMargin(s.marketId, id, type(uint256).max);
        }
        emit IOBTrading.OrderCancelled(id, o.trader, o.amount);
    }

    /// @notice The part of `size` a reduce-only order of `trader` on side `isBuy` may still fill.
    function capReduceOnly(
        S.Layout storage s,
        address trader,
        bool isBuy,
        uint256 size
    ) internal view returns (uint256) {
        int256 pos = ICoreVault(s.vault).getPosition(trader, s.marketId).size;
        uint256 reducible;
        if (isBuy && pos < 0) reducible = uint256(-pos);
        else if (!isBuy && pos > 0) reducible = uint256(pos);
        return size < reducible ? size : reducible;
    }
}
