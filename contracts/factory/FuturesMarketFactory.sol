// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ICoreVault} from "../interfaces/ICoreVault.sol";
import {IFuturesMarketFactory} from "../interfaces/IFuturesMarketFactory.sol";
import {IOBDiamondCut} from "../interfaces/IOBDiamondCut.sol";
import {IOBInit} from "../interfaces/IOBInit.sol";
import {Diamond} from "../orderbook/Diamond.sol";
import {FactoryStorage} from "./FactoryStorage.sol";

/// @title FuturesMarketFactory
/// @notice See IFuturesMarketFactory.
/// @dev UUPS proxy: the market list is the on-chain source of truth tools enumerate, so it must
/// survive logic changes; the vault pointer is configuration (`setVault`), never an immutable.
/// The Diamond's creation code (~4 KB) is embedded; books are deployed with CREATE2 salted by
/// the market id, so a market's book address is known before creation.
contract FuturesMarketFactory is IFuturesMarketFactory, AccessControlUpgradeable, UUPSUpgradeable {
    bytes32 public constant MARKET_CREATOR_ROLE = keccak256("MARKET_CREATOR_ROLE");
    uint256 public constant MAX_PAGE = 100;
    uint256 public constant MAX_LEVERAGE = 100;
    uint256 public constant MAX_FEE_BPS = 100;
    /// @dev The order book's highest tick index (LibBook.MAX_TICK): prices are tick * tickSize.
    uint256 internal constant MAX_TICK = 0xffffff;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address admin, address vault_, address bookOwner_, address feeRecipient_) external initializer {
        if (admin == address(0)) revert ZeroAddress();
        __AccessControl_init();
        __UUPSUpgradeable_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MARKET_CREATOR_ROLE, admin);
        _setVault(vault_);
        _setBookOwner(bookOwner_);
        _setFeeRecipient(feeRecipient_);
        _setBookDefaults(
            BookDefaults({
                maxFillsPerTaker: 20,
                defaultSlippageBps: 500,
                markClampBps: 500,
                liqPriceBoundBps: 1_000,
                liqNotionalCap: 1_000_000e6
            })
        );
    }

    /// @inheritdoc IFuturesMarketFactory
    function createFuturesMarket(
        MarketConfig calldata c
    ) external onlyRole(MARKET_CREATOR_ROLE) returns (bytes32 marketId, address orderBook) {
        FactoryStorage.Layout storage s = FactoryStorage.load();
        if (s.facets.length == 0) revert NoFacets();
        marketId = _validate(c);
        if (s.orderBookOf[marketId] != address(0)) revert MarketExists(c.symbol, marketId);
        uint256 marginBps = 10_000 / c.maxLeverage;
        address vault_ = s.vault;

        bytes memory init = abi.encodeCall(
            IOBInit.obInitialize,
            (vault_, marketId, s.feeRecipient, _initParams(c, marginBps, s.defaults))
        );
        orderBook = address(new Diamond{salt: marketId}(s.bookOwner, _cuts(s), s.orderBookInit, init));

        s.orderBookOf[marketId] = orderBook;
        s.marketIds.push(marketId);

        ICoreVault v = ICoreVault(vault_);
        // registerOrderBook also grants the book ORDERBOOK_ROLE (the vault's FACTORY_ROLE path).
        v.registerOrderBook(orderBook);
        v.assignMarketToOrderBook(marketId, orderBook);
        v.setMarketRiskParams(marketId, marginBps);
        v.updateMarkPrice(marketId, c.startPrice);
        emit FuturesMarketCreated(
            marketId,
            orderBook,
            c.symbol,
            c.maxLeverage,
            c.startPrice,
            vault_,
            s.marketIds.length - 1
        );
    }

    /// @inheritdoc IFuturesMarketFactory
    function setFacetRegistry(
        FacetEntry[] calldata facets,
        address orderBookInit_
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (facets.length == 0) revert NoFacets();
        if (orderBookInit_ == address(0)) revert ZeroAddress();
        FactoryStorage.Layout storage s = FactoryStorage.load();
        delete s.facets;
        uint256 total;
        for (uint256 i; i < facets.length; ++i) {
            if (facets[i].facet == address(0)) revert ZeroAddress();
            if (facets[i].selectors.length == 0) revert FacetWithoutSelectors(facets[i].facet);
            s.facets.push(facets[i]);
            total += facets[i].selectors.length;
        }
        s.orderBookInit = orderBookInit_;
        // duplicates across facets are refused by the diamond's own cut at creation time
        emit FacetRegistrySet(facets.length, total, orderBookInit_);
    }

    /// @inheritdoc IFuturesMarketFactory
    function setVault(address newVault) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setVault(newVault);
    }

    /// @inheritdoc IFuturesMarketFactory
    function setBookOwner(address newOwner) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setBookOwner(newOwner);
    }

    /// @inheritdoc IFuturesMarketFactory
    function setFeeRecipient(address newRecipient) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFeeRecipient(newRecipient);
    }

    /// @inheritdoc IFuturesMarketFactory
    function setBookDefaults(BookDefaults calldata d) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setBookDefaults(d);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IFuturesMarketFactory
    function marketIdFor(string calldata symbol) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), keccak256(bytes(symbol))));
    }

    /// @inheritdoc IFuturesMarketFactory
    function vault() external view returns (address) {
        return FactoryStorage.load().vault;
    }

    /// @inheritdoc IFuturesMarketFactory
    function bookOwner() external view returns (address) {
        return FactoryStorage.load().bookOwner;
    }

    /// @inheritdoc IFuturesMarketFactory
    function feeRecipient() external view returns (address) {
        return FactoryStorage.load().feeRecipient;
    }

    /// @inheritdoc IFuturesMarketFactory
    function orderBookInit() external view returns (address) {
        return FactoryStorage.load().orderBookInit;
    }

    /// @inheritdoc IFuturesMarketFactory
    function bookDefaults() external view returns (BookDefaults memory) {
        return FactoryStorage.load().defaults;
    }

    /// @inheritdoc IFuturesMarketFactory
    function getFacetRegistry() external view returns (FacetEntry[] memory) {
        return FactoryStorage.load().facets;
    }

    /// @inheritdoc IFuturesMarketFactory
    function getMarketsCount() external view returns (uint256) {
        return FactoryStorage.load().marketIds.length;
    }

    /// @inheritdoc IFuturesMarketFactory
    function getMarketsPage(
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory marketIds, address[] memory orderBooks) {
        FactoryStorage.Layout storage s = FactoryStorage.load();
        uint256 n = s.marketIds.length;
        if (offset >= n) return (marketIds, orderBooks);
        if (limit > MAX_PAGE) limit = MAX_PAGE;
        uint256 end = offset + limit > n ? n : offset + limit;
        marketIds = new bytes32[](end - offset);
        orderBooks = new address[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            bytes32 id = s.marketIds[i];
            marketIds[i - offset] = id;
            orderBooks[i - offset] = s.orderBookOf[id];
        }
    }

    /// @inheritdoc IFuturesMarketFactory
    function orderBookOf(bytes32 marketId) external view returns (address) {
        return FactoryStorage.load().orderBookOf[marketId];
    }

    // ------------------------------------------------------------------ internals

    function _validate(MarketConfig calldata c) private view returns (bytes32 marketId) {
        uint256 len = bytes(c.symbol).length;
        if (len == 0 || len > 32) revert InvalidSymbol(c.symbol);
        // the book stores prices (tick index < 2^24 times tickSize) as uint64: tickSize <= 2^40
        _range("tickSize", c.tickSize, 1, 1 << 40);
        _range("lotSize", c.lotSize, 1, type(uint96).max);
        _range("maxLeverage", c.maxLeverage, 1, MAX_LEVERAGE);
        _range("takerFeeBps", c.takerFeeBps, 0, MAX_FEE_BPS);
        _range("makerFeeBps", c.makerFeeBps, 0, c.takerFeeBps);
        // a start mark the book could never trade at (tick index above 2^24 - 1) is refused here
        _range("startPrice", c.startPrice, c.tickSize, c.tickSize * MAX_TICK);
        if (c.startPrice % c.tickSize != 0) revert StartPriceOffTick(c.startPrice, c.tickSize);
        marketId = marketIdFor(c.symbol);
    }

    function _range(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ParamOutOfRange(name, value, min, max);
    }

    function _initParams(
        MarketConfig calldata c,
        uint256 marginBps,
        BookDefaults storage d
    ) private view returns (IOBInit.InitParams memory p) {
        p.tickSize = c.tickSize;
        p.lotSize = c.lotSize;
        p.minNotional = c.minNotional;
        p.makerFeeBps = c.makerFeeBps;
        p.takerFeeBps = c.takerFeeBps;
        p.marginBps = marginBps;
        p.maxFillsPerTaker = d.maxFillsPerTaker;
        p.defaultSlippageBps = d.defaultSlippageBps;
        p.markClampBps = d.markClampBps;
        p.liqPriceBoundBps = d.liqPriceBoundBps;
        p.liqNotionalCap = d.liqNotionalCap;
        p.initialMarkPrice = c.startPrice;
    }

    function _cuts(FactoryStorage.Layout storage s) private view returns (IOBDiamondCut.FacetCut[] memory cuts) {
        uint256 n = s.facets.length;
        cuts = new IOBDiamondCut.FacetCut[](n);
        for (uint256 i; i < n; ++i) {
            cuts[i] = IOBDiamondCut.FacetCut({
                facetAddress: s.facets[i].facet,
                action: IOBDiamondCut.FacetCutAction.Add,
                functionSelectors: s.facets[i].selectors
            });
        }
    }

    function _setVault(address newVault) private {
        if (newVault == address(0)) revert ZeroAddress();
        FactoryStorage.Layout storage s = FactoryStorage.load();
        address previous = s.vault;
        s.vault = newVault;
        emit VaultSet(previous, newVault);
    }

    function _setBookOwner(address newOwner) private {
        if (newOwner == address(0)) revert ZeroAddress();
        FactoryStorage.Layout storage s = FactoryStorage.load();
        address previous = s.bookOwner;
        s.bookOwner = newOwner;
        emit BookOwnerSet(previous, newOwner);
    }

    function _setFeeRecipient(address newRecipient) private {
        if (newRecipient == address(0)) revert ZeroAddress();
        FactoryStorage.Layout storage s = FactoryStorage.load();
        address previous = s.feeRecipient;
        s.feeRecipient = newRecipient;
        emit FeeRecipientSet(previous, newRecipient);
    }

    function _setBookDefaults(BookDefaults memory d) private {
        _range("maxFillsPerTaker", d.maxFillsPerTaker, 1, 100);
        _range("defaultSlippageBps", d.defaultSlippageBps, 1, 5_000);
        _range("markClampBps", d.markClampBps, 1, 2_000);
        _range("liqPriceBoundBps", d.liqPriceBoundBps, 10, 5_000);
        _range("liqNotionalCap", d.liqNotionalCap, 1, type(uint128).max);
        FactoryStorage.load().defaults = d;
        emit BookDefaultsSet(d);
    }

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
