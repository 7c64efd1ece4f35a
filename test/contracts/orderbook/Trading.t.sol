// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OBTestBase} from "./utils/OBTestBase.sol";
import {IOBErrors} from "../../../contracts/interfaces/IOBErrors.sol";
import {IOBTrading} from "../../../contracts/interfaces/IOBTrading.sol";
import {IOBViews} from "../../../contracts/interfaces/IOBViews.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";

contract TradingTest is OBTestBase {
    function test_placeMarginLimitOrder_restsAndReservesMargin() public {
        uint256 id = limit(alice, 1_000 * P, 2 * U, true);
        assertEq(obv.bestBid(), 1_000 * P, "best bid");
        assertEq(obv.bestAsk(), 0, "no ask");
        IOBViews.OrderView memory o = obv.getOrder(id);
        assertEq(o.trader, alice, "trader");
        assertEq(o.amount, 2 * U, "amount");
        assertTrue(o.isBuy, "side");
        // 2 * 1000 USDC * 10 % margin.
        assertEq(vault.getReservedMargin(alice), 200 * P, "reserved");
        assertEq(obv.getActiveOrdersCount(), 1, "active");
        uint256[] memory ids = obv.getUserOrders(alice);
        assertEq(ids.length, 1, "user orders");
        assertEq(ids[0], id, "user order id");
    }

    function test_matching_pricePriorityThenTime() public {
        uint256 a1 = limit(alice, 1_001 * P, 1 * U, false);
        uint256 b1 = limit(bob, 1_000 * P, 1 * U, false); // better price, later
        uint256 c1 = limit(carol, 1_000 * P, 1 * U, false); // same price, later than bob
        assertEq(obv.bestAsk(), 1_000 * P, "best ask");
        market(dave, 1.5e18, true);
        // bob (best price, first in time) fully, then carol half; alice untouched.
        assertEq(pos(bob), -1e18, "bob filled");
        assertEq(pos(carol), -0.5e18, "carol partial");
        assertEq(pos(alice), 0, "alice untouched");
        assertEq(pos(dave), 1.5e18, "dave");
        assertEq(obv.getOrder(c1).amount, 0.5e18, "carol remainder");
        assertEq(obv.getOrder(a1).amount, 1e18, "alice rest");
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, b1));
        obv.getOrder(b1);
    }

    function test_limitOrder_crossesThenRestsRemainder() public {
        limit(alice, 1_000 * P, 1 * U, false);
        uint256 id = limit(bob, 1_002 * P, 3 * U, true);
        assertEq(pos(bob), 1e18, "filled at the ask");
        assertEq(entry(bob), 1_000 * P, "maker's price");
        assertEq(obv.bestBid(), 1_002 * P, "rested remainder");
        assertEq(obv.getOrder(id).amount, 2 * U, "remainder size");
        assertEq(obv.bestAsk(), 0, "ask consumed");
    }

    function test_fills_netFlipAndWeightAverageEntry() public {
        limit(alice, 1_000 * P, 1 * U, false);
        limit(alice, 1_010 * P, 1 * U, false);
        market(bob, 2 * U, true);
        assertEq(pos(bob), 2e18, "long 2");
        assertEq(entry(bob), 1_005 * P, "weighted entry");
        // Flip: sell 3 into carol's bid.
        limit(carol, 1_020 * P, 3 * U, true);
        market(bob, 3 * U, false);
        assertEq(pos(bob), -1e18, "flipped short 1");
        assertEq(entry(bob), 1_020 * P, "new entry at flip price");
        assertEq(pos(alice) + pos(bob) + pos(carol), 0, "nets to zero");
    }

    function test_fees_chargedToBothSides() public {
        limit(alice, 1_000 * P, 1 * U, false);
        uint256 aliceBefore = vault.balanceOf(alice);
        uint256 bobBefore = vault.balanceOf(bob);
        market(bob, 1 * U, true);
        assertEq(aliceBefore - vault.balanceOf(alice), 200_000, "maker 2 bps of 1000");
        assertEq(bobBefore - vault.balanceOf(bob), 500_000, "taker 5 bps of 1000");
    }

    function test_selfTrade_cancelsRestingOrderAndContinues() public {
        uint256 own = limit(alice, 1_000 * P, 1 * U, false);
        limit(bob, 1_001 * P, 1 * U, false);
        vm.expectEmit(true, true, true, false, book);
        emit IOBTrading.SelfTradePrevented(own, uint256(3) << 40, alice);
        market(alice, 1 * U, true);
        assertEq(pos(alice), 1e18, "filled against bob");
        assertEq(entry(alice), 1_001 * P, "bob's price");
        assertEq(vault.getReservedMargin(alice), 0, "own order reservation released");
        assertEq(obv.getActiveOrdersCount(), 0, "book empty");
    }

    function test_RevertWhen_postOnlyWouldCross() public {
        limit(alice, 1_000 * P, 1 * U, false);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.PostOnlyWouldCross.selector, 1_000 * P, 1_000 * P));
        ob.placeLimitOrder(1_000 * P, 1 * U, true, true, false);
        vm.prank(bob);
        ob.placeLimitOrder(999 * P, 1 * U, true, true, false);
        assertEq(obv.bestBid(), 999 * P, "post-only rests");
    }

    function test_reduceOnly_capsToPositionAndRefusesIncrease() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.ReduceOnlyWouldIncrease.selector, bob, int256(0), false));
        ob.placeLimitOrder(1_000 * P, 1 * U, false, false, true);

        limit(alice, 1_000 * P, 1 * U, false);
        market(bob, 1 * U, true); // bob long 1
        vm.prank(bob);
        uint256 id = ob.placeLimitOrder(1_100 * P, 5 * U, false, false, true);
        assertEq(obv.getOrder(id).amount, 1 * U, "capped to position");
        assertEq(vault.getReservedMargin(bob), 0, "reduce-only reserves nothing");
        market(carol, 5 * U, true);
        assertEq(pos(bob), 0, "closed, never flipped");
    }

    function test_RevertWhen_insufficientMarginForRestingOrder() public {
        address poor = address(0x9009);
        fund(poor, 50 * P);
        vm.prank(poor);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, poor, 100 * P, 50 * P));
        ob.placeMarginLimitOrder(1_000 * P, 1 * U, true);
    }

    function test_RevertWhen_tickLotOrNotionalInvalid() public {
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.InvalidPrice.selector, 1_000 * P + 1, 10_000));
        ob.placeMarginLimitOrder(1_000 * P + 1, 1 * U, true);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.InvalidAmount.selector, 1e15 + 1, 1e15));
        ob.placeMarginLimitOrder(1_000 * P, 1e15 + 1, true);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NotionalTooSmall.selector, 100_000, 1 * P));
        ob.placeMarginLimitOrder(100 * P, 1e15, true);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.InvalidPrice.selector, 0, 10_000));
        ob.placeMarginLimitOrder(0, 1 * U, true);
        vm.stopPrank();
    }

    function test_cancelOrder_releasesReservationAndLevel() public {
        uint256 id = limit(alice, 1_000 * P, 1 * U, true);
        limit(alice, 990 * P, 1 * U, true);
        vm.prank(alice);
        ob.cancelOrder(id);
        assertEq(obv.bestBid(), 990 * P, "best moved to next level");
        assertEq(vault.getReservedMargin(alice), 99 * P, "one reservation left");
        (uint256 total, uint256 n) = obv.getDepthAtPrice(1_000 * P, true);
        assertEq(total + n, 0, "level gone");
    }

    function test_RevertWhen_cancellingSomeoneElsesOrder() public {
        uint256 id = limit(alice, 1_000 * P, 1 * U, true);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NotOrderOwner.selector, id, bob, alice));
        ob.cancelOrder(id);
    }

    function test_cancelAllOrders_clearsOnlyCallersOrders() public {
        limit(alice, 1_000 * P, 1 * U, true);
        limit(alice, 1_010 * P, 1 * U, false);
        limit(alice, 995 * P, 1 * U, true);
        limit(bob, 994 * P, 1 * U, true);
        vm.prank(alice);
        assertEq(ob.cancelAllOrders(), 3, "cancelled");
        assertEq(obv.getUserOrders(alice).length, 0, "alice empty");
        assertEq(obv.bestBid(), 994 * P, "bob stays");
        assertEq(obv.bestAsk(), 0, "ask gone");
        assertEq(vault.getReservedMargin(alice), 0, "released");
    }

    function test_modifyOrder_replacesAtNewPrice() public {
        uint256 id = limit(alice, 1_000 * P, 1 * U, true);
        vm.prank(alice);
        uint256 id2 = ob.modifyOrder(id, 1_005 * P, 2 * U);
        assertTrue(id2 != id, "new id");
        assertEq(obv.bestBid(), 1_005 * P, "moved");
        assertEq(obv.getOrder(id2).amount, 2 * U, "new amount");
        assertEq(vault.getReservedMargin(alice), 201 * P, "re-reserved");
    }

    function test_marketOrder_stopsAtSlippageBound() public {
        limit(alice, 1_000 * P, 1 * U, false);
        limit(alice, 1_200 * P, 1 * U, false); // 20 % away: beyond 5 % default slippage
        vm.prank(bob);
        uint256 filled = ob.placeMarginMarketOrder(2 * U, true);
        assertEq(filled, 1 * U, "only inside the bound");
        assertEq(obv.bestAsk(), 1_200 * P, "far ask untouched");
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.SlippageTooHigh.selector, 5_001, 5_000));
        ob.placeMarginMarketOrderWithSlippage(1 * U, true, 5_001);
    }

    function test_RevertWhen_marketOrderOnEmptySide() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NoLiquidity.selector, true));
        ob.placeMarginMarketOrder(1 * U, true);
    }

    function test_maxFills_limitRemainderDroppedWhileCrossing() public {
        vm.prank(OWNER);
        (bool ok, ) = book.call(
            abi.encodeWithSignature(
                "setTradingParams(uint256,uint256,uint256,uint256,uint256,uint256)",
                2,
                5,
                1_000,
                2,
                500,
                1 * P
            )
        );
        assertTrue(ok, "params");
        for (uint256 i; i < 4; ++i) limit(alice, 1_000 * P, 1 * U, false);
        vm.prank(bob);
        uint256 id = ob.placeMarginLimitOrder(1_000 * P, 4 * U, true);
        assertEq(pos(bob), 2e18, "two fills only");
        assertEq(obv.bestBid(), 0, "remainder not rested on the wrong side");
        assertEq(obv.bestAsk(), 1_000 * P, "asks remain");
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.OrderNotFound.selector, id));
        obv.getOrder(id);
    }

    function test_maxFills_limitRemainderRestsWhenNoLongerCrossing() public {
        vm.prank(OWNER);
        (bool ok, ) = book.call(
            abi.encodeWithSignature(
                "setTradingParams(uint256,uint256,uint256,uint256,uint256,uint256)",
                2,
                5,
                1_000,
                2,
                500,
                1 * P
            )
        );
        assertTrue(ok, "params");
        limit(alice, 1_000 * P, 1 * U, false);
        limit(alice, 1_001 * P, 1 * U, false);
        limit(alice, 1_003 * P, 1 * U, false);
        vm.prank(bob);
        ob.placeMarginLimitOrder(1_002 * P, 3 * U, true);
        assertEq(pos(bob), 2e18, "two fills");
        assertEq(obv.bestBid(), 1_002 * P, "remainder rests below the ask");
        assertEq(obv.bestAsk(), 1_003 * P, "ask above");
    }

    function test_topLevels_bestFirst() public {
        limit(alice, 1_000 * P, 1 * U, true);
        limit(alice, 998 * P, 2 * U, true);
        limit(bob, 999 * P, 3 * U, true);
        (uint256[] memory prices, uint256[] memory totals) = obv.getTopLevels(true, 5);
        assertEq(prices.length, 3, "levels");
        assertEq(prices[0], 1_000 * P, "best");
        assertEq(prices[1], 999 * P, "second");
        assertEq(totals[1], 3 * U, "second total");
        assertEq(prices[2], 998 * P, "third");
    }
}
