// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBViews} from "../../interfaces/IOBViews.sol";
import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {LibBook} from "../libraries/LibBook.sol";
import {LibMark} from "../libraries/LibMark.sol";
import {TickBitmap} from "../libraries/TickBitmap.sol";

/// @title OBViewFacet
contract OBViewFacet is IOBViews {
    using TickBitmap for S.Bitmap;

    /// @inheritdoc IOBViews
    function bestBid() external view returns (uint256) {
        S.Layout storage s = S.load();
        return uint256(s.bestBid) * s.params.tickSize;
    }

    /// @inheritdoc IOBViews
    function bestAsk() external view returns (uint256) {
        S.Layout storage s = S.load();
        return uint256(s.bestAsk) * s.params.tickSize;
    }

    /// @inheritdoc IOBViews
    function getBestPrices() external view returns (uint256 bid, uint256 ask) {
        S.Layout storage s = S.load();
        uint256 ts = s.params.tickSize;
        return (uint256(s.bestBid) * ts, uint256(s.bestAsk) * ts);
    }

    /// @inheritdoc IOBViews
    function calculateMarkPrice() external view returns (uint256 mark) {
        (mark, ) = LibMark.compute(S.load());
    }

    /// @inheritdoc IOBViews
    function getPriceState() external view returns (uint256 mark, uint256 lastTrade, uint256 index, uint256 indexAt) {
        S.Layout storage s = S.load();
        return (s.markPrice, s.lastTradePrice, s.indexPrice, s.indexUpdatedAt);
    }

    /// @inheritdoc IOBViews
    function getOrder(uint256 orderId) external view returns (OrderView memory) {
        S.Layout storage s = S.load();
        (, S.Order memory o, address trader) = LibBook.find(s, orderId, address(0));
        return
            OrderView({
                orderId: orderId,
                trader: trader,
                price: uint256(o.tick) * s.params.tickSize,
                amount: uint256(o.lots) * s.lotSize,
                isBuy: o.flags & S.FLAG_BUY != 0,
                reduceOnly: o.flags & S.FLAG_REDUCE_ONLY != 0
            });
    }

    /// @inheritdoc IOBViews
    function getOrderReservation(uint256 orderId) external view returns (uint256) {
        (, S.Order memory o, ) = LibBook.find(S.load(), orderId, address(0));
        return o.reserve;
    }

    /// @inheritdoc IOBViews
    function getUserOrders(address user) external view returns (uint256[] memory orderIds) {
        S.Layout storage s = S.load();
        S.UserBook memory ub = s.userBooks[user];
        orderIds = new uint256[](64);
        uint256 mask = ub.mask;
        uint256 base = uint256(ub.traderId) << 6;
        uint256 n;
        while (mask != 0) {
            uint256 h = base | TickBitmap.lsb(mask);
            mask &= mask - 1;
            uint256 seq = s.orders[h].seq;
            if (seq == 0) continue;
            // Newest first (insertion by descending id; at most 64 entries).
            uint256 i = n++;
            for (; i != 0 && orderIds[i - 1] >> S.HANDLE_BITS < seq; --i) orderIds[i] = orderIds[i - 1];
            orderIds[i] = S.orderId(seq, h);
        }
        assembly {
            mstore(orderIds, n)
        }
    }

    /// @inheritdoc IOBViews
    /// @dev Sums the level counts of both sides (no global counter: it would cost every cancel
    /// a cold slot): O(number of levels), for off-chain readers.
    function getActiveOrdersCount() external view returns (uint256 n) {
        S.Layout storage s = S.load();
        for (uint256 tick = s.bestBid; tick != 0; tick = s.bidMap.nextBelow(tick)) n += s.bidLevels[tick].count;
        for (uint256 tick = s.bestAsk; tick != 0; tick = s.askMap.nextAbove(tick)) n += s.askLevels[tick].count;
    }

    /// @inheritdoc IOBViews
    function marketStatic()
        external
        view
        returns (
            address vault,
            bytes32 marketId,
            address feeRecipient,
            uint256 tickSize,
            uint256 lotSize,
            uint256 minNotional
        )
    {
        S.Layout storage s = S.load();
        return (s.vault, s.marketId, s.feeRecipient, s.params.tickSize, s.lotSize, s.params.minNotional);
    }

    /// @inheritdoc IOBViews
    function getDepthAtPrice(uint256 price, bool isBuy) external view returns (uint256 total, uint256 orders) {
        S.Layout storage s = S.load();
        S.Level memory lvl = LibBook.levelOf(s, isBuy, LibBook.toTick(s, price));
        return (lvl.total, lvl.count);
    }

    /// @inheritdoc IOBViews
    function getTopLevels(
        bool isBuy,
        uint256 n
    ) external view returns (uint256[] memory prices, uint256[] memory totals) {
        S.Layout storage s = S.load();
        prices = new uint256[](n);
        totals = new uint256[](n);
        uint256 tick = isBuy ? s.bestBid : s.bestAsk;
        uint256 i;
        for (; i < n && tick != 0; ++i) {
            prices[i] = tick * s.params.tickSize;
            totals[i] = LibBook.levelOf(s, isBuy, tick).total;
            tick = isBuy ? s.bidMap.nextBelow(tick) : s.askMap.nextAbove(tick);
        }
        assembly {
            mstore(prices, i)
            mstore(totals, i)
        }
    }

    /// @inheritdoc IOBViews
    function getMarketParams()
        external
        view
        returns (
            uint256 makerFeeBps,
            uint256 takerFeeBps,
            uint256 marginBps,
            uint256 maxFillsPerTaker,
            uint256 defaultSlippageBps,
            uint256 markClampBps
        )
    {
        S.MarketParams memory p = S.load().params;
        return (p.makerFeeBps, p.takerFeeBps, p.marginBps, p.maxFillsPerTaker, p.defaultSlippageBps, p.markClampBps);
    }

    /// @inheritdoc IOBViews
    function getLiquidationConfig()
        external
        view
        returns (
            uint256 maxPage,
            uint256 maxUsersPerTx,
            uint256 maxLevels,
            uint256 maxAdlPerTx,
            uint256 liqPriceBoundBps,
            uint256 liqNotionalCap,
            uint256 lastCheckedIndex
        )
    {
        S.Layout storage s = S.load();
        return (
            s.maxPage,
            s.maxUsersPerTx,
            s.maxLevels,
            s.maxAdlPerTx,
            s.params.liqPriceBoundBps,
            s.params.liqNotionalCap,
            s.lastCheckedIndex
        );
    }

    /// @inheritdoc IOBViews
    function makerRewardPending() external view returns (uint256) {
        return S.load().makerRewardPending;
    }

    /// @inheritdoc IOBViews
    function rewardKeeper() external view returns (address) {
        return S.load().rewardKeeper;
    }
}
