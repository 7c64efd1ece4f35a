// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Diamond} from "../../../../contracts/orderbook/Diamond.sol";
import {DiamondCutFacet} from "../../../../contracts/orderbook/facets/DiamondCutFacet.sol";
import {DiamondLoupeFacet} from "../../../../contracts/orderbook/facets/DiamondLoupeFacet.sol";
import {OwnershipFacet} from "../../../../contracts/orderbook/facets/OwnershipFacet.sol";
import {OBTradingFacet} from "../../../../contracts/orderbook/facets/OBTradingFacet.sol";
import {OBViewFacet} from "../../../../contracts/orderbook/facets/OBViewFacet.sol";
import {OBLiquidationFacet} from "../../../../contracts/orderbook/facets/OBLiquidationFacet.sol";
import {OBVaultAdminFacet} from "../../../../contracts/orderbook/facets/OBVaultAdminFacet.sol";
import {OrderBookInit} from "../../../../contracts/orderbook/init/OrderBookInit.sol";
import {IOBDiamondCut} from "../../../../contracts/interfaces/IOBDiamondCut.sol";
import {IOBDiamondLoupe} from "../../../../contracts/interfaces/IOBDiamondLoupe.sol";
import {IOBOwnership} from "../../../../contracts/interfaces/IOBOwnership.sol";
import {IOBTrading} from "../../../../contracts/interfaces/IOBTrading.sol";
import {IOBViews} from "../../../../contracts/interfaces/IOBViews.sol";
import {IOBLiquidation} from "../../../../contracts/interfaces/IOBLiquidation.sol";
import {IOBVaultAdmin} from "../../../../contracts/interfaces/IOBVaultAdmin.sol";
import {IOBInit} from "../../../../contracts/interfaces/IOBInit.sol";

/// @notice The standard facet set of an order-book diamond, for Solidity tests (the TypeScript
/// deploy helper src/chain/deployOrderBook.ts derives the same set from the ABIs).
contract OBFixture {
    struct Facets {
        address cut;
        address loupe;
        address ownership;
        address trading;
        address views;
        address liquidation;
        address admin;
        address init;
    }

    function deployFacets() public returns (Facets memory f) {
        f.cut = address(new DiamondCutFacet());
        f.loupe = address(new DiamondLoupeFacet());
        f.ownership = address(new OwnershipFacet());
        f.trading = address(new OBTradingFacet());
        f.views = address(new OBViewFacet());
        f.liquidation = address(new OBLiquidationFacet());
        f.admin = address(new OBVaultAdminFacet());
        f.init = address(new OrderBookInit());
    }

    function defaultParams() public pure returns (IOBInit.InitParams memory p) {
        p.tickSize = 10_000; // 0.01 USDC
        p.lotSize = 1e15; // 0.001 units
        p.minNotional = 1e6; // 1 USDC
        p.makerFeeBps = 2;
        p.takerFeeBps = 5;
        p.marginBps = 1_000; // 10x
        p.maxFillsPerTaker = 20;
        p.defaultSlippageBps = 500;
        p.markClampBps = 500;
        p.liqPriceBoundBps = 1_000;
        p.liqNotionalCap = 1_000_000e6;
        p.initialMarkPrice = 0;
    }

    function deployBook(
        Facets memory f,
        address owner,
        address vault,
        bytes32 marketId,
        IOBInit.InitParams memory p
    ) public returns (address) {
        bytes memory init = abi.encodeCall(IOBInit.obInitialize, (vault, marketId, owner, p));
        return address(new Diamond(owner, cuts(f), f.init, init));
    }

    function cuts(Facets memory f) public pure returns (IOBDiamondCut.FacetCut[] memory c) {
        c = new IOBDiamondCut.FacetCut[](7);
        c[0] = _add(f.cut, cutSelectors());
        c[1] = _add(f.loupe, loupeSelectors());
        c[2] = _add(f.ownership, ownershipSelectors());
        c[3] = _add(f.trading, tradingSelectors());
        c[4] = _add(f.views, viewSelectors());
        c[5] = _add(f.liquidation, liquidationSelectors());
        c[6] = _add(f.admin, adminSelectors());
    }

    function _add(address facet, bytes4[] memory sels) private pure returns (IOBDiamondCut.FacetCut memory) {
        return IOBDiamondCut.FacetCut(facet, IOBDiamondCut.FacetCutAction.Add, sels);
    }

    function cutSelectors() public pure returns (bytes4[] memory s) {
        s = new bytes4[](1);
        s[0] = IOBDiamondCut.diamondCut.selector;
    }

    function loupeSelectors() public pure returns (bytes4[] memory s) {
        s = new bytes4[](5);
        s[0] = IOBDiamondLoupe.facets.selector;
        s[1] = IOBDiamondLoupe.facetFunctionSelectors.selector;
        s[2] = IOBDiamondLoupe.facetAddresses.selector;
        s[3] = IOBDiamondLoupe.facetAddress.selector;
        s[4] = IOBDiamondLoupe.supportsInterface.selector;
    }

    function ownershipSelectors() public pure returns (bytes4[] memory s) {
        s = new bytes4[](2);
        s[0] = IOBOwnership.owner.selector;
        s[1] = IOBOwnership.transferOwnership.selector;
    }

    function tradingSelectors() public pure returns (bytes4[] memory s) {
        s = new bytes4[](8);
        s[0] = IOBTrading.placeMarginLimitOrder.selector;
        s[1] = IOBTrading.placeLimitOrder.selector;
        s[2] = IOBTrading.placeMarginMarketOrder.selector;
        s[3] = IOBTrading.placeMarginMarketOrderWithSlippage.selector;
        s[4] = IOBTrading.placeMarketOrder.selector;
        s[5] = IOBTrading.cancelOrder.selector;
        s[6] = IOBTrading.cancelAllOrders.selector;
        s[7] = IOBTrading.modifyOrder.selector;
    }

    function viewSelectors() public pure returns (bytes4[] memory s) {
        s = new bytes4[](16);
        s[0] = IOBViews.bestBid.selector;
        s[1] = IOBViews.bestAsk.selector;
        s[2] = IOBViews.getBestPrices.selector;
        s[3] = IOBViews.calculateMarkPrice.selector;
        s[4] = IOBViews.getPriceState.selector;
        s[5] = IOBViews.getOrder.selector;
        s[6] = IOBViews.getUserOrders.selector;
        s[7] = IOBViews.getActiveOrdersCount.selector;
        s[8] = IOBViews.marketStatic.selector;
        s[9] = IOBViews.getDepthAtPrice.selector;
        s[10] = IOBViews.getTopLevels.selector;
        s[11] = IOBViews.getMarketParams.selector;
        s[12] = IOBViews.getLiquidationConfig.selector;
        s[13] = IOBViews.makerRewardPending.selector;
        s[14] = IOBViews.rewardKeeper.selector;
        s[15] = IOBViews.getOrderReservation.selector;
    }

    function liquidationSelectors() public pure returns (bytes4[] memory s) {
        s = new bytes4[](9);
        s[0] = IOBLiquidation.pokeLiquidations.selector;
        s[1] = IOBLiquidation.liquidateUser.selector;
        s[2] = IOBLiquidation.liquidateDirect.selector;
        s[3] = IOBLiquidation.settleMakerRewards.selector;
        s[4] = IOBLiquidation.deleverage.selector;
        s[5] = IOBLiquidation.socializeDeficit.selector;
        s[6] = IOBLiquidation.pokeStep.selector;
        s[7] = IOBLiquidation.claimLiquidatorReward.selector;
        s[8] = IOBLiquidation.liquidatorRewardOwed.selector;
    }

    function adminSelectors() public pure returns (bytes4[] memory s) {
        s = new bytes4[](7);
        s[0] = IOBVaultAdmin.setVault.selector;
        s[1] = IOBVaultAdmin.setFeeRecipient.selector;
        s[2] = IOBVaultAdmin.setTradingParams.selector;
        s[3] = IOBVaultAdmin.setLiquidationConfig.selector;
        s[4] = IOBVaultAdmin.setMarkParams.selector;
        s[5] = IOBVaultAdmin.setRewardKeeper.selector;
        s[6] = IOBVaultAdmin.setIndexPrice.selector;
    }
}
