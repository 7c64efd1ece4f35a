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
        bool isBuy;
        uint256 orderId;
        uint256 limitTick;
        uint256 remaining;
    }

    /// @notice The head order of a level, resolved for matching.
    struct Maker {
        uint256 id; // public order id
        uint256 amount; // remaining, 18 decimals
        address trader;
        uint40 handle;
        S.Order o;
    }

    /// @notice The head (oldest) order at `tick` on side `makerIsBuy`; `lot` = the market's lot size.
    function head(
        S.Layout storage s,
        bool makerIsBuy,
        uint256 tick,
        uint256 lot
    ) internal view returns (Maker memory m) {
        m.handle = LibBook.levelOf(s, makerIsBuy, tick).head;
        m.o = s.orders[m.handle];
        m.id = S.orderId(m.o.seq, m.handle);
        m.trader = s.traders[m.handle >> 6];
        m.amount = uint256(m.o.lots) * lot;
    }

    /// @notice Match `t` against the opposite side in price-time priority until it is filled, the
    /// next level is beyond `limitTick`, the side is empty or `maxFillsPerTaker` matches happened.
    /// @return filled amount matched; `boundHit` when it stopped on the fill bound.
    function matchTaker(S.Layout storage s, Taker memory t) internal returns (uint256 filled, bool boundHit) {
        uint256 maxFills = s.params.maxFillsPerTaker;
        uint256 lot = s.lotSize;
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
            Maker memory m = head(s, !t.isBuy, tick, lot);
            if (m.trader == t.trader) {
                cancelResting(s, m);
                emit IOBTrading.SelfTradePrevented(m.id, t.orderId, t.trader);
                continue;
            }
            uint256 size = t.remaining < m.amount ? t.remaining : m.amount;
            if (m.o.flags & S.FLAG_REDUCE_ONLY != 0) {
                size = capReduceOnly(s, m.trader, !t.isBuy, size, lot);
                if (size == 0) {
                    cancelResting(s, m);
                    continue;
                }
            }
            uint256 price = tick * s.params.tickSize;
            uint256 release = releaseOnFill(m, size);
            _settle(s, t, m, size, price, release);
            consume(s, m, size, release);
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
        Maker memory m,
        uint256 size,
        uint256 price,
        uint256 release
    ) private {
        uint256 notional = (size * price) / ONE;
        uint256 makerFee = (notional * s.params.makerFeeBps) / BPS;
        uint256 takerFee = (notional * s.params.takerFeeBps) / BPS;
        ICoreVault(s.vault).settleFill(
            ICoreVault.Fill({
                marketId: s.marketId,
                maker: m.trader,
                taker: t.trader,
                takerIsBuy: t.isBuy,
                size: size,
                price: price,
                makerRelease: release,
                makerFee: makerFee,
                takerFee: takerFee
            })
        );
        emit IOBTrading.TradeExecuted(m.id, t.orderId, m.trader, t.trader, t.isBuy, price, size, makerFee, takerFee);
    }

    /// @notice The part of maker order `m`'s reservation a fill of `size` frees: all of it when the
    /// order is exhausted, else what exceeds ceil(reserve * left / before). Every release is
    /// reserve(before) - reserve(after), so the releases of an order's fills and its final removal
    /// add up to exactly what was reserved at placement.
    function releaseOnFill(Maker memory m, uint256 size) internal pure returns (uint256) {
        uint256 reserve = m.o.reserve;
        if (size >= m.amount || reserve == 0) return reserve;
        uint256 left = m.amount - size;
        return reserve - (reserve * left + m.amount - 1) / m.amount;
    }

    /// @notice Take `size` (a multiple of the lot) off maker order `m`: remove it when exhausted,
    /// else shrink it, its reservation (by `release`) and its level total. The vault has already
    /// released `release` of the maker's reservation.
    function consume(S.Layout storage s, Maker memory m, uint256 size, uint256 release) internal {
        if (size == m.amount) {
            LibBook.remove(s, m.handle, m.o, m.amount, false);
        } else {
            S.Order memory o = m.o;
            // size < m.amount, both multiples of the lot; release <= reserve; the level total includes m.amount.
            unchecked {
                o.lots = uint48((m.amount - size) / s.lotSize);
                o.reserve -= uint56(release);
                s.orders[m.handle] = o;
                LibBook.levelOf(s, o.flags & S.FLAG_BUY != 0, o.tick).total -= uint128(size);
            }
        }
    }

    /// @notice Remove a resting order without a fill and release its whole reservation.
    function cancelResting(S.Layout storage s, Maker memory m) internal {
        cancelResting(s, m, s.vault);
    }

    /// @notice `cancelResting` with the vault address already read.
    function cancelResting(S.Layout storage s, Maker memory m, address vault) internal {
        LibBook.remove(s, m.handle, m.o, m.amount, true);
        if (m.o.reserve != 0) _releaseMargin(vault, m.trader, m.o.reserve);
        emit IOBTrading.OrderCancelled(m.id, m.trader, m.amount);
    }

    /// @notice The part of `size` a reduce-only order of `trader` on side `isBuy` may still fill,
    /// rounded down to the lot.
    function capReduceOnly(
        S.Layout storage s,
        address trader,
        bool isBuy,
        uint256 size,
        uint256 lot
    ) internal view returns (uint256) {
        int256 pos = ICoreVault(s.vault).getPosition(trader, s.marketId).size;
        uint256 reducible;
        if (isBuy && pos < 0) reducible = uint256(-pos);
        else if (!isBuy && pos > 0) reducible = uint256(pos);
        if (reducible < size) size = reducible - (reducible % lot);
        return size;
    }

    /// @dev `ICoreVault(vault).releaseMargin(user, amount)` without the high-level call's
    /// extcodesize check (the vault is code by construction; a failure reverts with its data).
    function _releaseMargin(address vault, address user, uint256 amount) private {
        bytes4 sel = ICoreVault.releaseMargin.selector;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, sel)
            mstore(add(p, 4), user)
            mstore(add(p, 36), amount)
            if iszero(call(gas(), vault, 0, p, 68, 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
        }
    }
}
