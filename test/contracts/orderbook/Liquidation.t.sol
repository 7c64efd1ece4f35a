// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiqBase} from "./utils/LiqBase.sol";
import {IOBErrors} from "../../../contracts/interfaces/IOBErrors.sol";
import {IOBLiquidation} from "../../../contracts/interfaces/IOBLiquidation.sol";
import {IOBVaultAdmin} from "../../../contracts/interfaces/IOBVaultAdmin.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @dev Each top-level call is its own transaction (the vault's per-transaction transient flags
/// must clear between pokes, as on a chain).
/// forge-config: default.isolate = true
contract LiquidationTest is LiqBase {
    address internal v1 = address(0x1001);
    address internal v2 = address(0x1002);

    function test_pokeLiquidations_closesLongIntoBids() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        assertTrue(vault.isLiquidatable(v1, MARKET, 905 * P), "underwater");
        uint256 n = obl.pokeLiquidations();
        assertEq(n, 1, "one liquidated");
        assertEq(pos(v1), 0, "closed: 9 units inside 3 levels");
        assertEq(pos(alice) + pos(bob) + pos(carol) + pos(dave) + pos(v1), 0, "nets to zero");
    }

    function test_pokeLiquidations_closesShortIntoAsks() public {
        openVictim(v1, 1_000 * P, 9 * U, false);
        bookAt(1_095, false);
        walkMarkTo(1_095, false);
        assertTrue(vault.isLiquidatable(v1, MARKET, 1_095 * P), "underwater");
        obl.pokeLiquidations();
        assertEq(pos(v1), 0, "short closed");
    }

    function test_pokeLiquidations_partialAcrossPokes() public {
        vm.prank(OWNER);
        IOBVaultAdmin(book).setLiquidationConfig(20, 3, 1, 3, 1_000, 1_000_000e6); // one level per tx
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        (uint256 depth, ) = obv.getDepthAtPrice(905 * P, true);
        obl.pokeLiquidations();
        assertEq(pos(v1), int256(9e18 - depth), "first poke: exactly the first level");
        nextBlock();
        obl.pokeLiquidations();
        assertTrue(pos(v1) < 6e18, "second poke continues");
        for (uint256 k; k < 5 && pos(v1) != 0; ++k) {
            nextBlock();
            obl.pokeLiquidations();
        }
        assertTrue(pos(v1) == 0 || !vault.isLiquidatable(v1, MARKET, vault.getMarkPrice(MARKET)), "done");
    }

    function test_pokeLiquidations_notionalCapLimitsEachTx() public {
        vm.prank(OWNER);
        IOBVaultAdmin(book).setLiquidationConfig(20, 3, 3, 3, 1_000, 2_000e6); // 2,000 USDC per tx
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        obl.pokeLiquidations();
        // 2,000 / 905 = 2.209 units, rounded down to the 0.001 lot.
        assertEq(pos(v1), 9e18 - 2.209e18, "capped close");
    }

    function test_pokeLiquidations_vaultRefusalSkipsUserAndAdvances() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        IAccessControl(address(vault)).grantRole(keccak256("PAUSER_ROLE"), address(this));
        vault.pause(); // every vault write refuses: the poke must still complete
        vm.expectEmit(true, false, false, false, book);
        emit IOBLiquidation.LiquidationFillFailed(v1, 0); // maker order id not checked
        obl.pokeLiquidations();
        assertEq(pos(v1), 9e18, "nothing closed while the vault refuses");
        (, , , , , , uint256 idx) = obv.getLiquidationConfig();
        assertEq(idx, 0, "cursor wrapped past the short page");
        vault.unpause();
        nextBlock();
        obl.pokeLiquidations();
        assertEq(pos(v1), 0, "liquidated once the vault accepts");
    }

    function test_pokeLiquidations_emptyBookReturnsAtOnce() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        assertEq(obv.bestBid() + obv.bestAsk(), 0, "empty book");
        assertEq(obl.pokeLiquidations(), 0, "nothing");
        (, , , , , , uint256 idx) = obv.getLiquidationConfig();
        assertEq(idx, 0, "cursor untouched");
    }

    function test_pokeLiquidations_skipsHealthyAndAdvancesCursor() public {
        openVictim(v1, 1_000 * P, 1 * U, true); // 1x: healthy
        bookAt(905, true);
        walkMarkTo(905, true);
        uint256 count = vault.getUsersWithPositionsInMarketCount(MARKET);
        vm.recordLogs();
        assertEq(obl.pokeLiquidations(), 0, "healthy");
        (, , , , , , uint256 idx) = obv.getLiquidationConfig();
        assertEq(idx, count <= 20 ? 0 : 20, "wrapped after a full page");
    }

    function test_liquidateUser_targetedAndRevertsWhenHealthy() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        openVictim(v2, 100_000 * P, 1 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.UserNotLiquidatable.selector, v2, 905 * P));
        obl.liquidateUser(v2);
        vm.prank(KEEPER);
        uint256 closed = obl.liquidateDirect(v1);
        assertEq(closed, 9e18, "closed");
        assertEq(vault.balanceOf(KEEPER), 0, "liquidator share deferred, not credited");
        assertTrue(obl.liquidatorRewardOwed(KEEPER) > 0, "liquidator share owed");
    }

    function test_RevertWhen_liquidateUser_flatOrHealthyWithEmptyBook() public {
        openVictim(v2, 100_000 * P, 1 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.UserNotLiquidatable.selector, v1, 905 * P));
        obl.liquidateUser(v1); // no position at all
    }

    function test_liquidatorReward_deferredThenClaimedOnce() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        uint256 escrowBefore = vault.makerRewardEscrow(MARKET);
        vm.prank(KEEPER);
        obl.liquidateUser(v1);
        uint256 owed = obl.liquidatorRewardOwed(KEEPER);
        assertTrue(owed > 0, "owed");
        assertEq(vault.balanceOf(KEEPER), 0, "nothing credited by the liquidation");
        assertEq(
            vault.makerRewardEscrow(MARKET) - escrowBefore,
            obv.makerRewardPending() + owed,
            "escrow = maker pool + keeper owed"
        );

        vm.prank(alice); // owed nothing
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NoLiquidatorReward.selector, alice));
        obl.claimLiquidatorReward();

        vm.expectEmit(true, false, false, true, book);
        emit IOBLiquidation.LiquidatorRewardClaimed(KEEPER, owed);
        vm.prank(KEEPER);
        assertEq(obl.claimLiquidatorReward(), owed, "claimed all");
        assertEq(vault.balanceOf(KEEPER), owed, "paid into the keeper's vault balance");
        assertTrue(_known(KEEPER), "the claim tracks the keeper (redeploy snapshot sees its balance)");
        assertEq(obl.liquidatorRewardOwed(KEEPER), 0, "owed cleared");
        assertEq(vault.makerRewardEscrow(MARKET) - escrowBefore, obv.makerRewardPending(), "keeper share left escrow");

        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NoLiquidatorReward.selector, KEEPER));
        obl.claimLiquidatorReward(); // never twice
    }

    function test_liquidatorReward_makersCannotTakeKeeperShare() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        vm.prank(KEEPER);
        obl.liquidateUser(v1);
        uint256 accrued = obv.makerRewardPending();
        uint256 owed = obl.liquidatorRewardOwed(KEEPER);
        address[] memory makers = new address[](1);
        makers[0] = bob;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = accrued + owed; // the whole escrow
        vm.prank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.RewardExceedsAccrued.selector, v1, accrued + owed, accrued));
        obl.settleMakerRewards(v1, makers, amounts);
        amounts[0] = accrued;
        vm.prank(OWNER);
        obl.settleMakerRewards(v1, makers, amounts);
        vm.prank(KEEPER);
        assertEq(obl.claimLiquidatorReward(), owed, "keeper share still there");
        assertEq(vault.makerRewardEscrow(MARKET), 0, "escrow drained exactly");
    }

    function test_pokeLiquidations_rewardOwedToPokeSender() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        vm.prank(KEEPER);
        obl.pokeLiquidations();
        assertTrue(obl.liquidatorRewardOwed(KEEPER) > 0, "the poke's sender is owed");
        assertEq(obl.liquidatorRewardOwed(book), 0, "not the diamond");
        assertEq(vault.balanceOf(book), 0, "diamond holds no reward");
    }

    function test_makerRewards_accrueOnceAndSettleBounded() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        uint256 escrowBefore = vault.makerRewardEscrow(MARKET);
        obl.liquidateUser(v1);
        uint256 accrued = obv.makerRewardPending();
        assertTrue(accrued > 0, "accrued");
        uint256 owed = obl.liquidatorRewardOwed(address(this));
        assertEq(vault.makerRewardEscrow(MARKET) - escrowBefore, accrued + owed, "escrow = makers + liquidator");

        address[] memory makers = new address[](1);
        makers[0] = bob;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = accrued;
        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.NotRewardKeeper.selector, KEEPER));
        obl.settleMakerRewards(v1, makers, amounts);

        vm.prank(OWNER);
        IOBVaultAdmin(book).setRewardKeeper(KEEPER);
        amounts[0] = accrued + 1;
        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.RewardExceedsAccrued.selector, v1, accrued + 1, accrued));
        obl.settleMakerRewards(v1, makers, amounts);

        amounts[0] = accrued;
        uint256 bobBefore = vault.balanceOf(bob);
        vm.prank(KEEPER);
        obl.settleMakerRewards(v1, makers, amounts);
        assertEq(vault.balanceOf(bob) - bobBefore, accrued, "paid");
        amounts[0] = 1;
        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.RewardExceedsAccrued.selector, v1, 1, 0));
        obl.settleMakerRewards(v1, makers, amounts);
    }

    function test_cascade_manyAccountsUntilAllHealthy() public {
        vm.prank(OWNER);
        IOBVaultAdmin(book).setLiquidationConfig(4, 2, 2, 3, 1_000, 1_000_000e6);
        address[10] memory vs;
        for (uint256 i; i < 10; ++i) {
            vs[i] = address(uint160(0x2000 + i));
            openVictim(vs[i], (700 + 60 * i) * P, 6 * U, true); // leverage from ~8.6x down to ~4.9x
        }
        bookAt(905, true);
        for (uint256 i; i < 8; ++i) limit(bob, (890 - 5 * i) * P, 8 * U, true); // deep bids
        walkMarkTo(905, true);
        uint256 pokes;
        for (; pokes < 40; ++pokes) {
            bool anyBad;
            for (uint256 i; i < 10; ++i) {
                if (pos(vs[i]) != 0 && vault.isLiquidatable(vs[i], MARKET, vault.getMarkPrice(MARKET))) anyBad = true;
            }
            if (!anyBad) break;
            obl.pokeLiquidations();
            nextBlock();
        }
        assertTrue(pokes > 1, "took several pokes");
        assertTrue(pokes < 40, "converged");
    }

    function test_deleverage_whenBookCannotAbsorb() public {
        openVictim(v1, 1_000 * P, 9 * U, true); // carol short 9 at 1000
        limit(bob, 700 * P, 1 * U, true); // only bid far below the bound
        limit(bob, 905 * P, 1 * U, true);
        limit(dave, 910 * P, 1 * U, false);
        walkMarkTo(905, true);
        uint256 newest = obv.getUserOrders(bob)[0];
        vm.prank(bob);
        ob.cancelOrder(newest); // the bid at 905 leaves; 700 stays
        address[] memory c = new address[](1);
        c[0] = alice; // alice is long (same side): refused
        if (pos(alice) > 0) {
            vm.expectRevert(abi.encodeWithSelector(IOBErrors.NotOppositeSide.selector, alice, pos(alice)));
            obl.deleverage(v1, c);
        }
        c[0] = carol;
        uint256 closed = obl.deleverage(v1, c);
        assertEq(closed, 9e18, "closed against carol");
        assertEq(pos(v1), 0, "victim flat");
    }

    function test_RevertWhen_adlCandidatesUnrankedOrTooMany() public {
        openVictim(v1, 1_000 * P, 9 * U, true); // carol short 9 at 1,000
        limit(alice, 980 * P, 1 * U, true);
        market(dave, 1 * U, false); // dave short 1 at 980
        limit(bob, 700 * P, 1 * U, true);
        limit(bob, 905 * P, 1 * U, true);
        limit(dave, 910 * P, 1 * U, false);
        for (uint256 k; k < 8 && vault.getMarkPrice(MARKET) != 905 * P; ++k) {
            nextBlock();
            market(alice, 0.01e18, false);
        }
        uint256 newest = obv.getUserOrders(bob)[0];
        vm.prank(bob);
        ob.cancelOrder(newest); // only the 700 bid is left: outside the bound
        nextBlock();

        address[] memory c = new address[](2);
        c[0] = dave; // profit 75 USDC
        c[1] = carol; // profit 855 USDC: ranked wrongly after dave
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.CandidatesNotRanked.selector, 1, int256(75e6), int256(855e6)));
        obl.deleverage(v1, c);

        address[] memory four = new address[](4);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.TooManyCandidates.selector, 4, 3));
        obl.deleverage(v1, four);
        address[] memory many = new address[](21);
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.TooManyCandidates.selector, 21, 20));
        obl.socializeDeficit(many);

        c[0] = carol;
        c[1] = dave;
        assertEq(obl.deleverage(v1, c), 9e18, "ranked list accepted");
        assertEq(pos(v1), 0, "victim flat");
    }

    function test_RevertWhen_deleverageWhileBookCanAbsorb() public {
        openVictim(v1, 1_000 * P, 9 * U, true);
        bookAt(905, true);
        walkMarkTo(905, true);
        address[] memory c = new address[](1);
        c[0] = carol;
        vm.expectRevert(abi.encodeWithSelector(IOBErrors.AdlNotNeeded.selector, v1, 905 * P));
        obl.deleverage(v1, c);
    }

    function _known(address who) private view returns (bool) {
        uint256 n = vault.getKnownUsersCount();
        address[] memory page = vault.getKnownUsersPage(0, n);
        for (uint256 i; i < page.length; ++i) if (page[i] == who) return true;
        return false;
    }
}
