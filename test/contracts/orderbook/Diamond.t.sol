// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {OBFixture} from "./utils/OBFixture.sol";
import {IOBDiamondCut} from "../../../contracts/interfaces/IOBDiamondCut.sol";
import {IOBDiamondLoupe} from "../../../contracts/interfaces/IOBDiamondLoupe.sol";
import {IOBOwnership} from "../../../contracts/interfaces/IOBOwnership.sol";
import {IOBVaultAdmin} from "../../../contracts/interfaces/IOBVaultAdmin.sol";
import {IOBViews} from "../../../contracts/interfaces/IOBViews.sol";
import {IOBErrors} from "../../../contracts/interfaces/IOBErrors.sol";
import {IOBInit} from "../../../contracts/interfaces/IOBInit.sol";
import {IOBTrading} from "../../../contracts/interfaces/IOBTrading.sol";
import {OrderBookStorage} from "../../../contracts/orderbook/storage/OrderBookStorage.sol";
import {LibDiamond} from "../../../contracts/orderbook/libraries/LibDiamond.sol";
import {OBViewFacet} from "../../../contracts/orderbook/facets/OBViewFacet.sol";

contract DiamondTest is TestBase {
    OBFixture internal fx;
    OBFixture.Facets internal f;
    address internal book;
    address internal constant OWNER = address(0xA11CE);
    address internal constant STRANGER = address(0xBAD);
    address internal constant VAULT = address(0x7A017);
    bytes32 internal constant MARKET = keccak256("ETH-USD");

    function setUp() public {
        fx = new OBFixture();
        f = fx.deployFacets();
        book = fx.deployBook(f, OWNER, VAULT, MARKET, fx.defaultParams());
    }

    function test_constructor_registersStandardFacetSet() public view {
        IOBDiamondLoupe.Facet[] memory fs = IOBDiamondLoupe(book).facets();
        assertEq(fs.length, 7, "facets");
        assertEq(IOBDiamondLoupe(book).facetAddress(IOBTrading.placeMarginLimitOrder.selector), f.trading, "route");
        assertEq(IOBOwnership(book).owner(), OWNER, "owner");
        (address vault, bytes32 marketId, address feeRecipient, uint256 tick, , ) = IOBViews(book).marketStatic();
        assertEq(vault, VAULT, "vault");
        assertEq(marketId, MARKET, "market");
        assertEq(feeRecipient, OWNER, "fee recipient");
        assertEq(tick, 10_000, "tick");
    }

    function test_loupe_noSelectorRegisteredTwice() public view {
        IOBDiamondLoupe.Facet[] memory fs = IOBDiamondLoupe(book).facets();
        uint256 total;
        for (uint256 i; i < fs.length; ++i) total += fs[i].functionSelectors.length;
        bytes4[] memory all = new bytes4[](total);
        uint256 k;
        for (uint256 i; i < fs.length; ++i) {
            for (uint256 j; j < fs[i].functionSelectors.length; ++j) {
                bytes4 sel = fs[i].functionSelectors[j];
                for (uint256 m; m < k; ++m) assertTrue(all[m] != sel, "duplicate selector");
                all[k++] = sel;
                assertEq(IOBDiamondLoupe(book).facetAddress(sel), fs[i].facetAddress, "loupe consistent");
            }
        }
        assertEq(k, 48, "selector count");
    }

    function test_facets_eachUnderEip170() public view {
        address[8] memory all = [f.cut, f.loupe, f.ownership, f.trading, f.views, f.liquidation, f.admin, f.init];
        for (uint256 i; i < all.length; ++i) assertLe(all[i].code.length, 24_575, "facet size");
        assertLe(book.code.length, 24_575, "diamond size");
    }

    function test_supportsInterface_standardIds() public view {
        IOBDiamondLoupe l = IOBDiamondLoupe(book);
        assertTrue(l.supportsInterface(0x01ffc9a7), "erc165");
        assertTrue(l.supportsInterface(type(IOBDiamondCut).interfaceId), "cut");
        assertTrue(l.supportsInterface(type(IOBDiamondLoupe).interfaceId), "loupe");
        assertTrue(l.supportsInterface(0x7f5828d0), "erc173");
        assertTrue(l.supportsInterface(type(IOBTrading).interfaceId), "trading");
        assertFalse(l.supportsInterface(0xffffffff), "none");
    }

    function test_storageSlots_matchErc7201() public pure {
        bytes32 ob = keccak256(abi.encode(uint256(keccak256("dexetra.orderbook")) - 1)) & ~bytes32(uint256(0xff));
        bytes32 dm = keccak256(abi.encode(uint256(keccak256("dexetra.orderbook.diamond")) - 1)) &
            ~bytes32(uint256(0xff));
        assertEq(OrderBookStorage.SLOT, ob, "book slot");
        assertEq(LibDiamond.SLOT, dm, "diamond slot");
    }

    function test_RevertWhen_strangerCuts() public {
        IOBDiamondCut.FacetCut[] memory c = new IOBDiamondCut.FacetCut[](1);
        c[0] = IOBDiamondCut.FacetCut(f.views, IOBDiamondCut.FacetCutAction.Remove, fx.viewSelectors());
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IOBDiamondCut.NotDiamondOwner.selector, STRANGER, OWNER));
        IOBDiamondCut(book).diamondCut(c, address(0), "");
    }

    function test_diamondCut_ownerReplacesAndRemoves() public {
        address newViews = address(new OBViewFacet());
        IOBDiamondCut.FacetCut[] memory c = new IOBDiamondCut.FacetCut[](1);
        c[0] = IOBDiamondCut.FacetCut(newViews, IOBDiamondCut.FacetCutAction.Replace, fx.viewSelectors());
        vm.prank(OWNER);
        IOBDiamondCut(book).diamondCut(c, address(0), "");
        assertEq(IOBDiamondLoupe(book).facetAddress(IOBViews.bestBid.selector), newViews, "replaced");
        assertEq(IOBDiamondLoupe(book).facetAddresses().length, 7, "old facet dropped");

        c[0] = IOBDiamondCut.FacetCut(address(0), IOBDiamondCut.FacetCutAction.Remove, fx.viewSelectors());
        vm.prank(OWNER);
        IOBDiamondCut(book).diamondCut(c, address(0), "");
        assertEq(IOBDiamondLoupe(book).facetAddress(IOBViews.bestBid.selector), address(0), "removed");
        vm.expectRevert(abi.encodeWithSelector(IOBDiamondCut.FunctionNotFound.selector, IOBViews.bestBid.selector));
        IOBViews(book).bestBid();
    }

    function test_RevertWhen_selectorAddedTwice() public {
        IOBDiamondCut.FacetCut[] memory c = new IOBDiamondCut.FacetCut[](1);
        c[0] = IOBDiamondCut.FacetCut(f.admin, IOBDiamondCut.FacetCutAction.Add, fx.viewSelectors());
        vm.prank(OWNER);
        vm.expectRevert(
            abi.encodeWithSelector(IOBDiamondCut.SelectorAlreadyRegistered.selector, IOBViews.bestBid.selector, f.views)
        );
        IOBDiamondCut(book).diamondCut(c, address(0), "");
    }

    function test_RevertWhen_initRunsTwice() public {
        IOBDiamondCut.FacetCut[] memory c = new IOBDiamondCut.FacetCut[](0);
        bytes memory init = abi.encodeCall(IOBInit.obInitialize, (VAULT, MARKET, OWNER, fx.defaultParams()));
        vm.prank(OWNER);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOBDiamondCut.InitFailed.selector,
                f.init,
                abi.encodeWithSelector(IOBErrors.AlreadyInitialized.selector)
            )
        );
        IOBDiamondCut(book).diamondCut(c, f.init, init);
    }

    function test_RevertWhen_tickSizeTooLargeForStoredPrices() public {
        IOBInit.InitParams memory p = fx.defaultParams();
        p.tickSize = (1 << 40) + 1;
        bytes memory inner = abi.encodeWithSelector(
            IOBErrors.BoundOutOfRange.selector,
            bytes32("tickSize"),
            p.tickSize,
            1,
            1 << 40
        );
        vm.expectRevert(abi.encodeWithSelector(IOBDiamondCut.InitFailed.selector, f.init, inner));
        fx.deployBook(f, OWNER, VAULT, MARKET, p);
    }

    function test_setVault_ownerRepointsAndEmits() public {
        address newVault = address(0x7A018);
        vm.expectEmit(true, true, false, false, book);
        emit IOBVaultAdmin.VaultSet(VAULT, newVault);
        vm.prank(OWNER);
        IOBVaultAdmin(book).setVault(newVault);
        (address vault, , , , , ) = IOBViews(book).marketStatic();
        assertEq(vault, newVault, "vault");
    }

    function test_RevertWhen_strangerSetsVault() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IOBDiamondCut.NotDiamondOwner.selector, STRANGER, OWNER));
        IOBVaultAdmin(book).setVault(address(0x7A018));
    }

    function test_RevertWhen_strangerCallsAnyAdminSetter() public {
        bytes[6] memory calls = [
            abi.encodeCall(IOBVaultAdmin.setFeeRecipient, (STRANGER)),
            abi.encodeCall(IOBVaultAdmin.setTradingParams, (1, 1, 1000, 10, 100, 0)),
            abi.encodeCall(IOBVaultAdmin.setLiquidationConfig, (20, 3, 3, 3, 500, 1e12)),
            abi.encodeCall(IOBVaultAdmin.setMarkParams, (100, 0)),
            abi.encodeCall(IOBVaultAdmin.setRewardKeeper, (STRANGER)),
            abi.encodeCall(IOBOwnership.transferOwnership, (STRANGER))
        ];
        bytes memory err = abi.encodeWithSelector(IOBDiamondCut.NotDiamondOwner.selector, STRANGER, OWNER);
        for (uint256 i; i < calls.length; ++i) {
            vm.prank(STRANGER);
            (bool ok, bytes memory ret) = book.call(calls[i]);
            assertFalse(ok, "stranger accepted");
            assertEq(keccak256(ret), keccak256(err), "error");
        }
    }

    function test_RevertWhen_liquidationConfigOutOfBounds() public {
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.BoundOutOfRange.selector, bytes32("maxUsersPerTx"), 6, 1, 5));
        IOBVaultAdmin(book).setLiquidationConfig(20, 6, 3, 3, 500, 1e12);
    }

    function test_setLiquidationConfig_ownerWithinBounds() public {
        vm.prank(OWNER);
        IOBVaultAdmin(book).setLiquidationConfig(10, 2, 2, 1, 300, 5e9);
        (uint256 page, uint256 users, uint256 levels, uint256 adl, uint256 bound, uint256 cap, ) = IOBViews(book)
            .getLiquidationConfig();
        assertEq(page, 10, "page");
        assertEq(users, 2, "users");
        assertEq(levels, 2, "levels");
        assertEq(adl, 1, "adl");
        assertEq(bound, 300, "bound");
        assertEq(cap, 5e9, "cap");
    }

    function test_transferOwnership_newOwnerCuts() public {
        vm.prank(OWNER);
        IOBOwnership(book).transferOwnership(STRANGER);
        assertEq(IOBOwnership(book).owner(), STRANGER, "owner");
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(IOBDiamondCut.NotDiamondOwner.selector, OWNER, STRANGER));
        IOBVaultAdmin(book).setVault(address(1));
    }
}
