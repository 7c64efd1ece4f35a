// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBLiquidation} from "../../interfaces/IOBLiquidation.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {LibDiamond} from "../libraries/LibDiamond.sol";
import {LibLiquidation} from "../libraries/LibLiquidation.sol";
import {LibMark} from "../libraries/LibMark.sol";
import {LibLock} from "../libraries/LibLock.sol";

/// @title OBLiquidationFacet
/// @notice Paged, bounded liquidations and ADL (see IOBLiquidation and docs/orderbook.md).
contract OBLiquidationFacet is IOBLiquidation {
    /// @inheritdoc IOBLiquidation
    function pokeLiquidations() external returns (uint256 liquidated) {
        S.Layout storage s = S.load();
        if (s.bestBid == 0 && s.bestAsk == 0) return 0; // early exit: nothing to liquidate into
        LibLock.enter();
        uint256 mark = _mark(s);
        if (mark == 0) {
            LibLock.exit();
            return 0;
        }
        (address[] memory bad, uint256 start, uint256 scanned, uint256 count) = _screenPage(s, mark);
        for (uint256 i; i < bad.length; ++i) {
            try IOBLiquidation(address(this)).pokeStep(bad[i], mark, msg.sender) {} catch {
                emit LiquidationFillFailed(bad[i], 0);
            }
        }
        liquidated = bad.length;
        uint256 next = start + scanned;
        if (next >= count) next = 0;
        s.lastCheckedIndex = uint128(next);
        emit LiquidationsPoked(start, next, count, liquidated);
        LibLock.exit();
    }

    /// @inheritdoc IOBLiquidation
    function pokeStep(address user, uint256 mark, address liquidator) external returns (uint256 closed) {
        if (msg.sender != address(this)) revert OnlySelf(msg.sender);
        S.Layout storage s = S.load();
        int256 size = ICoreVault(s.vault).getPosition(user, s.marketId).size;
        return LibLiquidation.liquidate(s, user, size, mark, liquidator);
    }

    /// @dev One page from `lastCheckedIndex` (wrapping): the vault's batched poke screen, which
    /// skips groups of accounts its safe-price summaries prove healthy (stops at maxUsersPerTx
    /// hits). When that call reverts, the page is read and each account checked with try/catch.
    /// Every hit is then liquidated in a self-call so a vault refusal rolls back that user's book
    /// changes and the poke goes on.
    function _screenPage(
        S.Layout storage s,
        uint256 mark
    ) private returns (address[] memory bad, uint256 start, uint256 scanned, uint256 count) {
        ICoreVault v = ICoreVault(s.vault);
        bytes32 marketId = s.marketId;
        start = s.lastCheckedIndex;
        uint256 maxPage = s.maxPage;
        uint256 maxUsers = s.maxUsersPerTx;
        try v.pokeScreen(marketId, start, maxPage, mark, maxUsers) returns (
            address[] memory hits,
            uint256 from,
            uint256 n,
            uint256 len
        ) {
            return (hits, from, n, len);
        } catch {
            count = v.getUsersWithPositionsInMarketCount(marketId);
            if (start >= count) start = 0;
            (bad, scanned) = _checkEach(v, marketId, start, maxPage, mark, maxUsers);
        }
    }

    /// @dev Fallback screen: one isLiquidatable call per account, a revert skips that account.
    function _checkEach(
        ICoreVault v,
        bytes32 marketId,
        uint256 start,
        uint256 maxPage,
        uint256 mark,
        uint256 maxUsers
    ) private returns (address[] memory bad, uint256 i) {
        address[] memory users = v.getUsersWithPositionsInMarketPage(marketId, start, maxPage);
        bad = new address[](maxUsers);
        uint256 found;
        for (; i < users.length && found < maxUsers; ++i) {
            try v.isLiquidatable(users[i], marketId, mark) returns (bool hit) {
                if (hit) bad[found++] = users[i];
            } catch {
                emit LiquidationCheckFailed(users[i]);
            }
        }
        assembly {
            mstore(bad, found)
        }
    }

    /// @inheritdoc IOBLiquidation
    function liquidateUser(address user) external returns (uint256 closedAmount) {
        return _liquidateOne(user);
    }

    /// @inheritdoc IOBLiquidation
    function liquidateDirect(address user) external returns (uint256 closedAmount) {
        return _liquidateOne(user);
    }

    /// @inheritdoc IOBLiquidation
    function settleMakerRewards(
        address liquidatedUser,
        address[] calldata makers,
        uint256[] calldata amounts
    ) external {
        S.Layout storage s = S.load();
        if (msg.sender != s.rewardKeeper && msg.sender != LibDiamond.load().owner) revert NotRewardKeeper(msg.sender);
        if (makers.length != amounts.length) revert ArrayLengthMismatch(makers.length, amounts.length);
        uint256 total;
        for (uint256 i; i < amounts.length; ++i) total += amounts[i];
        uint256 accrued = s.makerRewardPending;
        if (total > accrued) revert RewardExceedsAccrued(liquidatedUser, total, accrued);
        // total <= accrued < 2^128.
        s.makerRewardPending = uint128(accrued - total);
        ICoreVault(s.vault).payMakerRewards(s.marketId, makers, amounts);
        emit MakerRewardsSettled(liquidatedUser, total, accrued - total);
    }

    /// @inheritdoc IOBLiquidation
    function claimLiquidatorReward() external returns (uint256 amount) {
        S.Layout storage s = S.load();
        amount = s.liquidatorRewardOwed[msg.sender];
        if (amount == 0) revert NoLiquidatorReward(msg.sender);
        LibLock.enter();
        s.liquidatorRewardOwed[msg.sender] = 0; // before the vault pays: never twice
        address[] memory to = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        to[0] = msg.sender;
        amounts[0] = amount;
        ICoreVault(s.vault).payMakerRewards(s.marketId, to, amounts);
        emit LiquidatorRewardClaimed(msg.sender, amount);
        LibLock.exit();
    }

    /// @inheritdoc IOBLiquidation
    function liquidatorRewardOwed(address liquidator) external view returns (uint256) {
        return S.load().liquidatorRewardOwed[liquidator];
    }

    /// @inheritdoc IOBLiquidation
    function deleverage(address user, address[] calldata candidates) external returns (uint256 closedAmount) {
        S.Layout storage s = S.load();
        uint256 maxAdl = s.maxAdlPerTx;
        if (candidates.length > maxAdl) revert TooManyCandidates(candidates.length, maxAdl);
        LibLock.enter();
        uint256 mark = _requireLiquidatable(s, user);
        int256 size = ICoreVault(s.vault).getPosition(user, s.marketId).size;
        _requireBookCannotAbsorb(s, user, size > 0, mark);
        closedAmount = _adl(s, user, size, mark, candidates);
        LibLock.exit();
    }

    /// @inheritdoc IOBLiquidation
    function socializeDeficit(address[] calldata candidates) external returns (uint256 recovered) {
        S.Layout storage s = S.load();
        uint256 max = s.maxPage;
        if (candidates.length > max) revert TooManyCandidates(candidates.length, max);
        LibLock.enter();
        recovered = ICoreVault(s.vault).socializeDeficit(s.marketId, candidates);
        LibLock.exit();
    }

    // ------------------------------------------------------------------ internals

    /// @dev Close `remaining` of `user` against ranked, verified `candidates` via the vault.
    function _adl(
        S.Layout storage s,
        address user,
        int256 size,
        uint256 mark,
        address[] calldata candidates
    ) private returns (uint256 closedAmount) {
        bool sell = size > 0;
        uint256 remaining = sell ? uint256(size) : uint256(-size);
        int256 prevPnl = type(int256).max;
        for (uint256 i; i < candidates.length && remaining != 0; ++i) {
            int256 pnl = _oppositePnl(s, candidates[i], sell, mark);
            if (pnl > prevPnl) revert CandidatesNotRanked(i, prevPnl, pnl);
            prevPnl = pnl;
            uint256 closed = ICoreVault(s.vault).adlFill(s.marketId, user, candidates[i], remaining);
            remaining -= closed;
            closedAmount += closed;
            emit DeleverageExecuted(user, candidates[i], closed);
        }
    }

    /// @dev Unrealized PnL at the mark of a candidate that must hold the opposite side.
    function _oppositePnl(
        S.Layout storage s,
        address candidate,
        bool sell,
        uint256 mark
    ) private view returns (int256) {
        ICoreVault.Position memory p = ICoreVault(s.vault).getPosition(candidate, s.marketId);
        if (p.size == 0 || (p.size > 0) == sell) revert NotOppositeSide(candidate, p.size);
        return (p.size * (int256(mark) - int256(p.entryPrice))) / 1e18;
    }

    /// @dev ADL only when the book cannot take the position inside the liquidation bound.
    function _requireBookCannotAbsorb(S.Layout storage s, address user, bool sell, uint256 mark) private view {
        uint256 bestTick = sell ? s.bestBid : s.bestAsk;
        uint256 bound = LibLiquidation.boundTick(s, sell, mark);
        if (bestTick != 0 && (sell ? bestTick >= bound : bestTick <= bound)) {
            revert AdlNotNeeded(user, bestTick * s.params.tickSize);
        }
    }

    /// @dev No liquidatable pre-check here: settleLiquidation checks the account at the mark just
    /// pushed (LibLiquidation maps its refusal to UserNotLiquidatable). Only when there is nothing
    /// to settle (flat account, or no order inside the bound) does the book ask the vault itself,
    /// so a healthy target always reverts and a liquidatable one the book cannot fill returns 0.
    function _liquidateOne(address user) private returns (uint256 closed) {
        S.Layout storage s = S.load();
        LibLock.enter();
        uint256 mark = _mark(s);
        if (mark == 0) revert NoMarkPrice();
        ICoreVault v = ICoreVault(s.vault);
        int256 size = v.getPosition(user, s.marketId).size;
        closed = LibLiquidation.liquidate(s, user, size, mark, msg.sender);
        if (closed == 0 && !v.isLiquidatable(user, s.marketId, mark)) revert UserNotLiquidatable(user, mark);
        LibLock.exit();
    }

    function _requireLiquidatable(S.Layout storage s, address user) private returns (uint256 mark) {
        mark = _mark(s);
        if (mark == 0) revert NoMarkPrice();
        if (!ICoreVault(s.vault).isLiquidatable(user, s.marketId, mark)) revert UserNotLiquidatable(user, mark);
    }

    /// @dev Refresh our mark and push it; when the vault refuses it, use the vault's own mark so
    /// the book's checks and the vault's agree. Never a caller-supplied price.
    function _mark(S.Layout storage s) private returns (uint256 mark) {
        mark = LibMark.refresh(s);
        if (LibMark.push(s, mark)) return mark;
        try ICoreVault(s.vault).getMarkPrice(s.marketId) returns (uint256 vm) {
            return vm;
        } catch {
            return 0;
        }
    }
}
