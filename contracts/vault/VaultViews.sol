// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICoreVault} from "../interfaces/ICoreVault.sol";
import {VaultBase} from "./VaultBase.sol";
import {VaultStorage} from "./storage/VaultStorage.sol";
import {RiskGroupLib} from "./libraries/RiskGroupLib.sol";
import {MarginLib} from "./libraries/MarginLib.sol";
import {IndexLib} from "./libraries/IndexLib.sol";
import {PriceLib} from "./libraries/PriceLib.sol";
import {PositionMath} from "./libraries/PositionMath.sol";

/// @title VaultViews
/// @notice Read side of CoreVault: balances, margin, positions, wiring and the paged indexes.
abstract contract VaultViews is ICoreVault, VaultBase {
    // ------------------------------------------------------------------ balances and margin

    /// @inheritdoc ICoreVault
    function collateralToken() external view returns (address) {
        return VaultStorage.load().collateral;
    }

    /// @inheritdoc ICoreVault
    function balanceOf(address user) external view returns (uint256) {
        return VaultStorage.load().accounts[user].balance;
    }

    /// @inheritdoc ICoreVault
    function externalCreditOf(address user) external view returns (uint256) {
        return VaultStorage.load().accounts[user].externalCredit;
    }

    /// @inheritdoc ICoreVault
    function getAvailableCollateral(address user) external view returns (uint256) {
        return MarginLib.freeFloored(VaultStorage.load(), user);
    }

    /// @inheritdoc ICoreVault
    function getWithdrawable(address user) external view returns (uint256) {
        return _withdrawable(VaultStorage.load(), user);
    }

    /// @inheritdoc ICoreVault
    function getEquity(address user) external view returns (int256 equity) {
        (equity, ) = MarginLib.health(VaultStorage.load(), user, bytes32(0), 0);
    }

    /// @inheritdoc ICoreVault
    function getMaintenanceRequirement(address user) external view returns (uint256 maintenance) {
        (, maintenance) = MarginLib.health(VaultStorage.load(), user, bytes32(0), 0);
    }

    /// @inheritdoc ICoreVault
    function getReservedMargin(address user) external view returns (uint256) {
        return VaultStorage.load().accounts[user].reservedMargin;
    }

    /// @inheritdoc ICoreVault
    function getLockedMargin(address user) external view returns (uint256) {
        return VaultStorage.load().accounts[user].lockedMargin;
    }

    // ------------------------------------------------------------------ positions

    /// @inheritdoc ICoreVault
    function getPosition(address user, bytes32 marketId) public view returns (Position memory) {
        VaultStorage.Position storage p = VaultStorage.load().positions[marketId][user];
        return Position(marketId, p.size, p.entryPriceX18 / PositionMath.PRICE_SCALE, p.marginLocked);
    }

    /// @inheritdoc ICoreVault
    function getEntryPriceX18(address user, bytes32 marketId) external view returns (uint256) {
        return VaultStorage.load().positions[marketId][user].entryPriceX18;
    }

    /// @inheritdoc ICoreVault
    function getUserPositions(address user) external view returns (Position[] memory out) {
        VaultStorage.Account storage a = VaultStorage.load().accounts[user];
        uint256 n = a.marketCount;
        out = new Position[](n);
        for (uint256 i; i < n; ++i) out[i] = getPosition(user, a.markets[i]);
    }

    /// @inheritdoc ICoreVault
    function getLiquidationPrice(address user, bytes32 marketId) external view returns (uint256) {
        return PriceLib.price(VaultStorage.load(), user, marketId, true);
    }

    /// @inheritdoc ICoreVault
    function getBankruptcyPrice(address user, bytes32 marketId) external view returns (uint256) {
        return PriceLib.price(VaultStorage.load(), user, marketId, false);
    }

    /// @inheritdoc ICoreVault
    function isLiquidatable(address user, bytes32 marketId, uint256 markPrice) external view returns (bool) {
        return MarginLib.isLiquidatable(VaultStorage.load(), user, marketId, markPrice);
    }

    // ------------------------------------------------------------------ markets and wiring

    /// @inheritdoc ICoreVault
    function getMarkPrice(bytes32 marketId) external view returns (uint256) {
        return VaultStorage.load().markets[marketId].markPrice;
    }

    /// @inheritdoc ICoreVault
    function marketToOrderBook(bytes32 marketId) external view returns (address) {
        return VaultStorage.load().markets[marketId].orderBook;
    }

    /// @inheritdoc ICoreVault
    function getMarketInfo(bytes32 marketId) external view returns (MarketInfo memory) {
        VaultStorage.Market storage m = VaultStorage.load().markets[marketId];
        return
            MarketInfo(
                m.orderBook,
                m.status,
                m.initialMarginBps,
                m.markPrice,
                m.finalPrice,
                m.settledPositions,
                VaultStorage.load().usersWithPositions[marketId].length
            );
    }

    /// @inheritdoc ICoreVault
    function getRiskParams() external view returns (RiskParams memory) {
        VaultStorage.Layout storage s = VaultStorage.load();
        return
            RiskParams(
                s.mmrOfImrBps,
                s.penaltyBps,
                s.insuranceShareBps,
                s.liquidatorShareBps,
                s.protocolShareBps,
                s.maxMarkMoveBps,
                s.protocolFeeRecipient
            );
    }

    /// @inheritdoc ICoreVault
    function isOrderBookRegistered(address orderBook) external view returns (bool) {
        return VaultStorage.load().orderBookIndex[orderBook] != 0;
    }

    /// @inheritdoc ICoreVault
    function getOrderBooksCount() external view returns (uint256) {
        return VaultStorage.load().orderBooks.length;
    }

    /// @inheritdoc ICoreVault
    function getOrderBooksPage(uint256 offset, uint256 limit) external view returns (address[] memory) {
        return IndexLib.page(VaultStorage.load().orderBooks, offset, limit, MAX_PAGE_SIZE);
    }

    /// @inheritdoc ICoreVault
    function getMarketsCount() external view returns (uint256) {
        return VaultStorage.load().marketIds.length;
    }

    /// @inheritdoc ICoreVault
    function getMarketsPage(
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory marketIds, address[] memory orderBooks) {
        VaultStorage.Layout storage s = VaultStorage.load();
        uint256 len = s.marketIds.length;
        if (offset >= len) return (new bytes32[](0), new address[](0));
        if (limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
        uint256 end = offset + limit > len ? len : offset + limit;
        marketIds = new bytes32[](end - offset);
        orderBooks = new address[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            marketIds[i - offset] = s.marketIds[i];
            orderBooks[i - offset] = s.markets[s.marketIds[i]].orderBook;
        }
    }

    // ------------------------------------------------------------------ indexes

    /// @inheritdoc ICoreVault
    function getUsersWithPositionsInMarketCount(bytes32 marketId) external view returns (uint256) {
        return VaultStorage.load().usersWithPositions[marketId].length;
    }

    /// @inheritdoc ICoreVault
    function getUsersWithPositionsInMarketPage(
        bytes32 marketId,
        uint256 offset,
        uint256 limit
    ) external view returns (address[] memory users) {
        return IndexLib.page(VaultStorage.load().usersWithPositions[marketId], offset, limit, MAX_PAGE_SIZE);
    }

    /// @inheritdoc ICoreVault
    function userInMarket(address user, bytes32 marketId) external view returns (bool) {
        return VaultStorage.load().userInMarket[user][marketId] != 0;
    }

    /// @inheritdoc ICoreVault
    function getUserMarkets(address user) external view returns (bytes32[] memory out) {
        VaultStorage.Account storage a = VaultStorage.load().accounts[user];
        uint256 n = a.marketCount;
        out = new bytes32[](n);
        for (uint256 i; i < n; ++i) out[i] = a.markets[i];
    }

    /// @inheritdoc ICoreVault
    function getKnownUsersCount() external view returns (uint256) {
        return VaultStorage.load().knownUsers.length;
    }

    /// @inheritdoc ICoreVault
    function getKnownUsersPage(uint256 offset, uint256 limit) external view returns (address[] memory users) {
        return IndexLib.page(VaultStorage.load().knownUsers, offset, limit, MAX_PAGE_SIZE);
    }

    // ------------------------------------------------------------------ loss buckets

    /// @inheritdoc ICoreVault
    function insuranceFund(bytes32 marketId) external view returns (uint256) {
        return VaultStorage.load().markets[marketId].insurance;
    }

    /// @inheritdoc ICoreVault
    function marketDeficit(bytes32 marketId) external view returns (uint256) {
        return VaultStorage.load().markets[marketId].deficit;
    }

    /// @inheritdoc ICoreVault
    function makerRewardEscrow(bytes32 marketId) external view returns (uint256) {
        return VaultStorage.load().markets[marketId].makerEscrow;
    }

    /// @inheritdoc ICoreVault
    function feePool(bytes32 marketId) external view returns (uint256) {
        return VaultStorage.load().markets[marketId].feePool;
    }

    /// @inheritdoc ICoreVault
    function unallocatedBacking() external view returns (uint256) {
        return VaultStorage.load().unallocatedBacking;
    }

    /// @inheritdoc ICoreVault
    function backedCreditOf(address user) external view returns (uint256) {
        return VaultStorage.load().backedCredit[user];
    }

    /// @inheritdoc ICoreVault
    function totalExternalCredits() external view returns (uint256) {
        return VaultStorage.load().totalExternalCredits;
    }

    /// @inheritdoc ICoreVault
    function isMarketSettled(bytes32 marketId) external view returns (bool) {
        return VaultStorage.load().markets[marketId].status == VaultStorage.STATUS_SETTLED;
    }

    /// @inheritdoc ICoreVault
    function getRiskGroup(
        bytes32 marketId,
        uint256 group,
        uint256 markPrice
    ) external view returns (bool valid, uint256 lo, uint256 hi, uint256 k, uint256 crossMask, bool provenAtMark) {
        VaultStorage.Layout storage s = VaultStorage.load();
        uint256 summary = s.riskGroups[marketId][group];
        (valid, lo, hi, k) = RiskGroupLib.unpack(summary);
        crossMask = RiskGroupLib.crossMask(summary);
        if (markPrice == 0) markPrice = s.markets[marketId].markPrice;
        provenAtMark = RiskGroupLib.isClean(summary, markPrice, RiskGroupLib.factor(s, marketId));
    }

    // ------------------------------------------------------------------ helpers

    /// @dev What `withdraw` may pay: free collateral, and only the token-backed part of the balance.
    function _withdrawable(VaultStorage.Layout storage s, address user) internal view returns (uint256) {
        VaultStorage.Account storage a = s.accounts[user];
        uint256 bal = a.balance;
        uint256 ext = a.externalCredit;
        uint256 tokenBacked = bal > ext ? bal - ext : 0;
        uint256 free = MarginLib.freeFloored(s, user);
        return free < tokenBacked ? free : tokenBacked;
    }
}
