// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {OBFixture} from "../orderbook/utils/OBFixture.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {CoreVaultDeployer} from "../../../contracts/test-support/CoreVaultDeployer.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {IFuturesMarketFactory} from "../../../contracts/interfaces/IFuturesMarketFactory.sol";
import {IOBDiamondCut} from "../../../contracts/interfaces/IOBDiamondCut.sol";
import {IOBDiamondLoupe} from "../../../contracts/interfaces/IOBDiamondLoupe.sol";
import {IOBOwnership} from "../../../contracts/interfaces/IOBOwnership.sol";
import {IOBViews} from "../../../contracts/interfaces/IOBViews.sol";
import {IOBTrading} from "../../../contracts/interfaces/IOBTrading.sol";
import {OBTradingFacet} from "../../../contracts/orderbook/facets/OBTradingFacet.sol";
import {FuturesMarketFactory} from "../../../contracts/factory/FuturesMarketFactory.sol";
import {FactoryProxy} from "../../../contracts/factory/FactoryProxy.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

contract FuturesMarketFactoryTest is TestBase {
    address internal constant BOOK_OWNER = address(0x0B0B);
    address internal constant FEES = address(0xFEE);
    address internal constant STRANGER = address(0x57);

    MockUSDC internal usdc;
    ICoreVault internal vault;
    OBFixture internal fx;
    OBFixture.Facets internal facets;
    FuturesMarketFactory internal factory;

    function setUp() public {
        usdc = new MockUSDC(6);
        vault = CoreVaultDeployer.deploy(address(usdc), address(this));
        fx = new OBFixture();
        facets = fx.deployFacets();
        factory = _newFactory(vault);
        factory.setFacetRegistry(_entries(fx.cuts(facets)), facets.init);
    }

    function _newFactory(ICoreVault v) internal returns (FuturesMarketFactory f) {
        FuturesMarketFactory impl = new FuturesMarketFactory();
        bytes memory init = abi.encodeCall(
            FuturesMarketFactory.initialize,
            (address(this), address(v), BOOK_OWNER, FEES)
        );
        f = FuturesMarketFactory(address(new FactoryProxy(address(impl), init)));
        _grantVaultRoles(v, address(f));
    }

    function _grantVaultRoles(ICoreVault v, address who) internal {
        IAccessControl(address(v)).grantRole(keccak256("FACTORY_ROLE"), who);
        IAccessControl(address(v)).grantRole(keccak256("SETTLEMENT_ROLE"), who);
    }

    function _entries(
        IOBDiamondCut.FacetCut[] memory cuts
    ) internal pure returns (IFuturesMarketFactory.FacetEntry[] memory e) {
        e = new IFuturesMarketFactory.FacetEntry[](cuts.length);
        for (uint256 i; i < cuts.length; ++i)
            e[i] = IFuturesMarketFactory.FacetEntry(cuts[i].facetAddress, cuts[i].functionSelectors);
    }

    function _config(string memory symbol) internal pure returns (IFuturesMarketFactory.MarketConfig memory) {
        return
            IFuturesMarketFactory.MarketConfig({
                symbol: symbol,
                tickSize: 10_000,
                lotSize: 1e15,
                minNotional: 1e6,
                maxLeverage: 20,
                makerFeeBps: 2,
                takerFeeBps: 5,
                startPrice: 2_000e6
            });
    }

    // ------------------------------------------------------------------ creation

    function test_createFuturesMarket_wiresBookAndVaultInOneTx() public {
        bytes32 expectedId = factory.marketIdFor("ETH-PERP");
        uint256 g = gasleft();
        (bytes32 id, address book) = factory.createFuturesMarket(_config("ETH-PERP"));
        g -= gasleft();
        assertLe(g, 30_000_000, "fits a 30M big block");
        assertEq(id, expectedId, "deterministic id");
        assertEq(id, keccak256(abi.encode(block.chainid, address(factory), keccak256("ETH-PERP"))), "id formula");

        // vault side
        assertEq(vault.marketToOrderBook(id), book, "assigned");
        assertTrue(vault.isOrderBookRegistered(book), "registered");
        assertTrue(IAccessControl(address(vault)).hasRole(keccak256("ORDERBOOK_ROLE"), book), "book role");
        assertEq(vault.getMarkPrice(id), 2_000e6, "start mark");
        assertEq(vault.getMarketInfo(id).initialMarginBps, 500, "10,000 / 20x");

        // book side
        assertEq(IOBOwnership(book).owner(), BOOK_OWNER, "owner");
        (address bv, bytes32 bid, address fee, uint256 tick, uint256 lot, uint256 minN) = IOBViews(book).marketStatic();
        assertEq(bv, address(vault), "book vault");
        assertEq(bid, id, "book market");
        assertEq(fee, FEES, "fee recipient");
        assertEq(tick, 10_000, "tick");
        assertEq(lot, 1e15, "lot");
        assertEq(minN, 1e6, "min notional");
        (uint256 makerFee, uint256 takerFee, uint256 marginBps, , , ) = IOBViews(book).getMarketParams();
        assertEq(makerFee, 2, "maker fee");
        assertEq(takerFee, 5, "taker fee");
        assertEq(marginBps, 500, "book margin");
        assertEq(IOBDiamondLoupe(book).facetAddresses().length, 7, "standard facet set");

        // factory enumeration
        assertEq(factory.getMarketsCount(), 1, "count");
        (bytes32[] memory ids, address[] memory books) = factory.getMarketsPage(0, 10);
        assertEq(ids[0], id, "page id");
        assertEq(books[0], book, "page book");
        assertEq(factory.orderBookOf(id), book, "lookup");
    }

    function test_createFuturesMarket_bookAddressIsCreate2OfMarketId() public {
        (bytes32 id, address book) = factory.createFuturesMarket(_config("BTC-PERP"));
        // the salt is the market id: a second book for the same id cannot exist at another address
        assertTrue(book.code.length > 0, "deployed");
        assertEq(factory.orderBookOf(id), book, "recorded");
    }

    function test_createFuturesMarket_bookTrades() public {
        (, address book) = factory.createFuturesMarket(_config("SOL-PERP"));
        address alice = address(0xA1);
        usdc.mint(alice, 10_000e6);
        vm.startPrank(alice);
        usdc.approve(address(vault), type(uint256).max);
        vault.deposit(10_000e6);
        uint256 orderId = IOBTrading(book).placeMarginLimitOrder(1_990e6, 1e18, true);
        vm.stopPrank();
        assertTrue(orderId != 0, "order rested");
        assertEq(IOBViews(book).bestBid(), 1_990e6, "best bid");
        assertTrue(vault.getReservedMargin(alice) > 0, "margin reserved through the vault");
    }

    function test_createFuturesMarket_usesCurrentFacetRegistry() public {
        factory.createFuturesMarket(_config("OLD-PERP"));
        address newTrading = address(new OBTradingFacet());
        IOBDiamondCut.FacetCut[] memory cuts = fx.cuts(facets);
        cuts[3].facetAddress = newTrading;
        factory.setFacetRegistry(_entries(cuts), facets.init);
        (, address book) = factory.createFuturesMarket(_config("NEW-PERP"));
        assertEq(
            IOBDiamondLoupe(book).facetAddress(IOBTrading.placeMarginLimitOrder.selector),
            newTrading,
            "new market gets the current facet"
        );
    }

    function test_getMarketsPage_pagesAndEmptyPastEnd() public {
        factory.createFuturesMarket(_config("A"));
        factory.createFuturesMarket(_config("B"));
        factory.createFuturesMarket(_config("C"));
        (bytes32[] memory ids, address[] memory books) = factory.getMarketsPage(1, 5);
        assertEq(ids.length, 2, "two left");
        assertEq(ids[1], factory.marketIdFor("C"), "order kept");
        assertEq(books[0], factory.orderBookOf(factory.marketIdFor("B")), "book");
        (ids, ) = factory.getMarketsPage(3, 5);
        assertEq(ids.length, 0, "past the end");
    }

    function test_setVault_newMarketsGoToNewVault() public {
        ICoreVault next = CoreVaultDeployer.deploy(address(usdc), address(this));
        _grantVaultRoles(next, address(factory));
        vm.expectEmit(true, true, false, false, address(factory));
        emit IFuturesMarketFactory.VaultSet(address(vault), address(next));
        factory.setVault(address(next));
        (bytes32 id, address book) = factory.createFuturesMarket(_config("NEXT-PERP"));
        assertEq(next.marketToOrderBook(id), book, "on the new vault");
        assertEq(vault.marketToOrderBook(id), address(0), "not on the old one");
    }

    // ------------------------------------------------------------------ validation

    function test_RevertWhen_symbolTaken() public {
        (bytes32 id, ) = factory.createFuturesMarket(_config("ETH-PERP"));
        vm.expectRevert(abi.encodeWithSelector(IFuturesMarketFactory.MarketExists.selector, "ETH-PERP", id));
        factory.createFuturesMarket(_config("ETH-PERP"));
    }

    function test_RevertWhen_symbolEmptyOrLong() public {
        vm.expectRevert(abi.encodeWithSelector(IFuturesMarketFactory.InvalidSymbol.selector, ""));
        factory.createFuturesMarket(_config(""));
        string memory long = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";
        vm.expectRevert(abi.encodeWithSelector(IFuturesMarketFactory.InvalidSymbol.selector, long));
        factory.createFuturesMarket(_config(long));
    }

    function _expectRange(bytes32 name, uint256 v, uint256 lo, uint256 hi) internal {
        vm.expectRevert(abi.encodeWithSelector(IFuturesMarketFactory.ParamOutOfRange.selector, name, v, lo, hi));
    }

    function test_RevertWhen_leverageOutOfRange() public {
        IFuturesMarketFactory.MarketConfig memory c = _config("X");
        c.maxLeverage = 0;
        _expectRange("maxLeverage", 0, 1, 100);
        factory.createFuturesMarket(c);
        c.maxLeverage = 101;
        _expectRange("maxLeverage", 101, 1, 100);
        factory.createFuturesMarket(c);
    }

    function test_RevertWhen_feesOutOfRange() public {
        IFuturesMarketFactory.MarketConfig memory c = _config("X");
        c.takerFeeBps = 101;
        _expectRange("takerFeeBps", 101, 0, 100);
        factory.createFuturesMarket(c);
        c.takerFeeBps = 5;
        c.makerFeeBps = 6;
        _expectRange("makerFeeBps", 6, 0, 5);
        factory.createFuturesMarket(c);
    }

    function test_RevertWhen_tickOrLotZero() public {
        IFuturesMarketFactory.MarketConfig memory c = _config("X");
        c.tickSize = 0;
        _expectRange("tickSize", 0, 1, 1 << 40);
        factory.createFuturesMarket(c);
        c.tickSize = 10_000;
        c.lotSize = 0;
        _expectRange("lotSize", 0, 1, type(uint96).max);
        factory.createFuturesMarket(c);
    }

    function test_RevertWhen_startPriceInvalid() public {
        IFuturesMarketFactory.MarketConfig memory c = _config("X");
        c.startPrice = 0;
        _expectRange("startPrice", 0, 10_000, 10_000 * 0xffffff);
        factory.createFuturesMarket(c);
        c.startPrice = 10_000 * 0x1000000; // one tick past the book's range
        _expectRange("startPrice", c.startPrice, 10_000, 10_000 * 0xffffff);
        factory.createFuturesMarket(c);
        c.startPrice = 2_000e6 + 1;
        vm.expectRevert(abi.encodeWithSelector(IFuturesMarketFactory.StartPriceOffTick.selector, 2_000e6 + 1, 10_000));
        factory.createFuturesMarket(c);
    }

    function test_RevertWhen_noFacetsRegistered() public {
        FuturesMarketFactory bare = _newFactory(vault);
        vm.expectRevert(IFuturesMarketFactory.NoFacets.selector);
        bare.createFuturesMarket(_config("X"));
    }

    function test_RevertWhen_factoryLacksVaultRole() public {
        ICoreVault next = CoreVaultDeployer.deploy(address(usdc), address(this));
        factory.setVault(address(next)); // no FACTORY_ROLE granted there
        vm.expectRevert();
        factory.createFuturesMarket(_config("X"));
        assertEq(factory.getMarketsCount(), 0, "nothing half-created");
    }

    // ------------------------------------------------------------------ wrong callers

    function _expectUnauthorized(bytes32 role) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, role)
        );
    }

    function test_RevertWhen_createFuturesMarket_notCreator() public {
        IFuturesMarketFactory.MarketConfig memory c = _config("X");
        _expectUnauthorized(factory.MARKET_CREATOR_ROLE());
        vm.prank(STRANGER);
        factory.createFuturesMarket(c);
    }

    function test_RevertWhen_setFacetRegistry_notAdmin() public {
        IFuturesMarketFactory.FacetEntry[] memory e = _entries(fx.cuts(facets));
        _expectUnauthorized(bytes32(0));
        vm.prank(STRANGER);
        factory.setFacetRegistry(e, facets.init);
    }

    function test_RevertWhen_setVault_notAdmin() public {
        _expectUnauthorized(bytes32(0));
        vm.prank(STRANGER);
        factory.setVault(STRANGER);
    }

    function test_RevertWhen_setBookOwner_notAdmin() public {
        _expectUnauthorized(bytes32(0));
        vm.prank(STRANGER);
        factory.setBookOwner(STRANGER);
    }

    function test_RevertWhen_setFeeRecipient_notAdmin() public {
        _expectUnauthorized(bytes32(0));
        vm.prank(STRANGER);
        factory.setFeeRecipient(STRANGER);
    }

    function test_RevertWhen_setBookDefaults_notAdmin() public {
        IFuturesMarketFactory.BookDefaults memory d = factory.bookDefaults();
        _expectUnauthorized(bytes32(0));
        vm.prank(STRANGER);
        factory.setBookDefaults(d);
    }

    function test_RevertWhen_upgrade_notAdmin() public {
        FuturesMarketFactory next = new FuturesMarketFactory();
        _expectUnauthorized(bytes32(0));
        vm.prank(STRANGER);
        factory.upgradeToAndCall(address(next), "");
    }

    function test_RevertWhen_initializeTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        factory.initialize(STRANGER, STRANGER, STRANGER, STRANGER);
    }

    function test_setters_byAdmin() public {
        factory.setBookOwner(STRANGER);
        factory.setFeeRecipient(STRANGER);
        IFuturesMarketFactory.BookDefaults memory d = factory.bookDefaults();
        d.maxFillsPerTaker = 50;
        factory.setBookDefaults(d);
        assertEq(factory.bookOwner(), STRANGER, "owner");
        assertEq(factory.feeRecipient(), STRANGER, "fees");
        assertEq(factory.bookDefaults().maxFillsPerTaker, 50, "defaults");
        d.maxFillsPerTaker = 0;
        _expectRangeAny();
        factory.setBookDefaults(d);
    }

    function _expectRangeAny() internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                IFuturesMarketFactory.ParamOutOfRange.selector,
                bytes32("maxFillsPerTaker"),
                0,
                1,
                100
            )
        );
    }

    function test_factorySize_underEip170() public view {
        assertLe(address(factory).code.length, 24_576, "proxy");
        // the implementation behind the proxy
        bytes32 implSlot = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
        address impl = address(uint160(uint256(vm.load(address(factory), implSlot))));
        assertLe(impl.code.length, 24_576, "implementation");
        assertGe(impl.code.length, 1, "has code");
    }

    /// @notice Pins the factory's ERC-7201 layout on a live proxy (append-only check).
    function test_layout_factoryIsAppendOnly() public {
        (bytes32 id, address book) = factory.createFuturesMarket(_config("ETH-PERP"));
        bytes32 b = keccak256(abi.encode(uint256(keccak256("dexetra.factory")) - 1)) & ~bytes32(uint256(0xff));
        address f = address(factory);
        assertEq(address(uint160(uint256(vm.load(f, b)))), address(vault), "0: vault");
        assertEq(address(uint160(uint256(vm.load(f, bytes32(uint256(b) + 1))))), BOOK_OWNER, "1: bookOwner");
        assertEq(address(uint160(uint256(vm.load(f, bytes32(uint256(b) + 2))))), FEES, "2: feeRecipient");
        assertEq(address(uint160(uint256(vm.load(f, bytes32(uint256(b) + 3))))), facets.init, "3: orderBookInit");
        assertEq(uint256(vm.load(f, bytes32(uint256(b) + 4))), 20, "4: defaults.maxFillsPerTaker");
        assertEq(uint256(vm.load(f, bytes32(uint256(b) + 9))), 7, "9: facets.length");
        assertEq(uint256(vm.load(f, bytes32(uint256(b) + 10))), 1, "10: marketIds.length");
        bytes32 ob = vm.load(f, keccak256(abi.encode(id, uint256(b) + 11)));
        assertEq(address(uint160(uint256(ob))), book, "11: orderBookOf");
    }
}
