// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {VaultModule} from "./VaultModule.sol";
import {VaultStorage} from "../storage/VaultStorage.sol";
import {LedgerLib} from "../libraries/LedgerLib.sol";
import {MarginLib} from "../libraries/MarginLib.sol";
import {PriceLib} from "../libraries/PriceLib.sol";
import {PositionMath} from "../libraries/PositionMath.sol";
import {IndexLib} from "../libraries/IndexLib.sol";
import {RiskGroupLib} from "../libraries/RiskGroupLib.sol";

/// @title VaultRiskModule
/// @notice Liquidation, ADL, socialization and paged settlement for CoreVault, run only by
/// delegatecall from the proxy's implementation. It declares no storage: roles and pause come from
/// OpenZeppelin's ERC-7201 namespaces and vault state from `dexetra.vault`, exactly as in
/// CoreVault, so role checks here read the proxy's role graph. Called directly it refuses.
/// @dev Function semantics are documented in ICoreVault.
contract VaultRiskModule is VaultModule {
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @notice Most candidates one socializeDeficit call may inspect.
    uint256 public constant MAX_SOCIALIZE_CANDIDATES = 50;
    /// @notice Positions settleMarket closes in its own transaction.
    uint256 public constant FIRST_SETTLEMENT_PAGE = 20;

    // Transient-storage tags (EIP-1153): reset at the end of every transaction.
    bytes32 private constant LIQUIDATING = keccak256("dexetra.vault.liquidating");
    bytes32 private constant PENALIZED = keccak256("dexetra.vault.penalized");

    // ------------------------------------------------------------------ liquidation

    function updatePositionWithLiquidation(
        address user,
        bytes32 marketId,
        int256 sizeDelta,
        uint256 price
    ) external onlyDelegated whenNotPaused returns (int256 realizedPnl, uint256 badDebt) {
        uint256 imBps = _marketForOrderBook(marketId).initialMarginBps;
        return _liquidationSide(VaultStorage.load(), marketId, imBps, user, sizeDelta, price);
    }

    function settleLiquidationFill(
        bytes32 marketId,
        address liquidated,
        address maker,
        uint256 makerRelease,
        uint256 size,
        uint256 price,
        uint256 makerFee
    ) external onlyDelegated whenNotPaused returns (uint256 badDebt) {
        uint256 imBps = _marketForOrderBook(marketId).initialMarginBps;
        if (size == 0) revert ICoreVault.ZeroAmount();
        ICoreVault.Fill memory f;
        f.marketId = marketId;
        f.maker = maker;
        f.taker = liquidated;
        f.size = size;
        f.price = price;
        f.makerRelease = makerRelease;
        f.makerFee = makerFee;
        return _liquidationFill(VaultStorage.load(), imBps, f);
    }

    /// @dev `f.taker` is the liquidated account; its side goes through the liquidation path.
    function _liquidationFill(
        VaultStorage.Layout storage s,
        uint256 imBps,
        ICoreVault.Fill memory f
    ) private returns (uint256 badDebt) {
        f.takerIsBuy = s.positions[f.marketId][f.taker].size < 0;
        int256 delta = f.takerIsBuy ? f.size.toInt256() : -f.size.toInt256();
        (, badDebt) = _liquidationSide(s, f.marketId, imBps, f.taker, delta, f.price);
        _makerSide(s, imBps, f);
    }

    /// @dev The resting maker's side of a liquidation fill: the normal (forced) path.
    function _makerSide(VaultStorage.Layout storage s, uint256 imBps, ICoreVault.Fill memory f) private {
        if (f.makerRelease != 0) LedgerLib.unreserve(s, f.maker, f.makerRelease);
        int256 makerDelta = f.takerIsBuy ? -f.size.toInt256() : f.size.toInt256();
        (int256 makerPnl, ) = LedgerLib.trade(s, f.marketId, imBps, f.maker, makerDelta, f.price);
        LedgerLib.bookPnlForced(s, f.marketId, f.maker, makerPnl);
        LedgerLib.collectFees(s, f.marketId, LedgerLib.takeFee(s, f.marketId, f.maker, f.makerFee, false));
        RiskGroupLib.touch(s, f.maker, f.marketId);
    }

    function chargeLiquidationPenalty(
        bytes32 marketId,
        address user,
        uint256 closedNotional,
        address liquidator
    ) external onlyDelegated whenNotPaused returns (uint256 makerRewardPool) {
        _marketForOrderBook(marketId);
        if (_tget(LIQUIDATING, user, marketId) == 0) revert ICoreVault.NotLiquidatable(user, marketId);
        if (_tget(PENALIZED, user, marketId) != 0) revert ICoreVault.PenaltyAlreadyCharged(user, marketId);
        VaultStorage.Layout storage s = VaultStorage.load();
        (makerRewardPool, ) = _penalty(s, marketId, user, closedNotional, liquidator, false);
        RiskGroupLib.touch(s, user, marketId);
    }

    /// @dev Penalty on `closedNotional` (capped at the balance): insurance share, liquidator share
    /// (to insurance when there is no liquidator), the rest escrowed for makers. With `deferred`
    /// the liquidator share is escrowed with the maker pool (the book records it per keeper and
    /// pays it out later through payMakerRewards), so the liquidation writes no keeper balance
    /// and no known-user entry; otherwise it is credited at once. Tags the user.
    function _penalty(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        uint256 closedNotional,
        address liquidator,
        bool deferred
    ) private returns (uint256 makerRewardPool, uint256 toLiquidator) {
        _tset(PENALIZED, user, marketId);
        uint256 bal = s.accounts[user].balance;
        uint256 penalty = (closedNotional * s.penaltyBps) / PositionMath.BPS;
        if (penalty > bal) penalty = bal;
        LedgerLib.debit(s, user, penalty);
        uint256 toInsurance = (penalty * s.insuranceShareBps) / PositionMath.BPS;
        toLiquidator = (penalty * s.liquidatorShareBps) / PositionMath.BPS;
        if (liquidator == address(0)) {
            toInsurance += toLiquidator;
            toLiquidator = 0;
        }
        makerRewardPool = penalty - toInsurance - toLiquidator;
        emit ICoreVault.LiquidationPenaltyCharged(user, marketId, penalty, toInsurance, toLiquidator, makerRewardPool);
        if (toInsurance != 0) LedgerLib.fundInsurance(s, marketId, toInsurance);
        uint256 escrowed = makerRewardPool;
        if (deferred) escrowed += toLiquidator;
        else if (toLiquidator != 0) {
            IndexLib.ensureUserTracked(s, liquidator);
            LedgerLib.credit(s, liquidator, toLiquidator);
        }
        if (escrowed != 0) {
            VaultStorage.Market storage m = s.markets[marketId];
            m.makerEscrow = (uint256(m.makerEscrow) + escrowed).toUint128();
        }
    }

    function settleLiquidation(
        bytes32 marketId,
        address user,
        address liquidator,
        ICoreVault.LiquidationFill[] calldata fills
    )
        external
        onlyDelegated
        whenNotPaused
        returns (uint256 badDebt, uint256 makerRewardPool, uint256 liquidatorReward)
    {
        VaultStorage.Market storage m = _marketForOrderBook(marketId);
        VaultStorage.Layout storage s = VaultStorage.load();
        int256 size = s.positions[marketId][user].size;
        if (size == 0 || fills.length == 0) revert ICoreVault.NotLiquidatable(user, marketId);
        _requireLiquidating(s, user, marketId);
        uint256 closed = _makerSides(s, m, marketId, size, fills);
        uint256 closedNotional;
        (badDebt, closedNotional) = _victimSide(s, marketId, user, size, closed, fills);
        if (_tget(PENALIZED, user, marketId) == 0) {
            (makerRewardPool, liquidatorReward) = _penalty(s, marketId, user, closedNotional, liquidator, true);
        }
        RiskGroupLib.touch(s, user, marketId);
    }

    /// @dev The liquidated side of all `fills` at once; returns the uncovered loss and the closed notional.
    function _victimSide(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        int256 size,
        uint256 closed,
        ICoreVault.LiquidationFill[] calldata fills
    ) private returns (uint256 badDebt, uint256 closedNotional) {
        if (closed > PositionMath.abs(size)) {
            revert ICoreVault.LiquidationMustReduce(user, marketId, size, size > 0 ? -int256(closed) : int256(closed));
        }
        int256 pnl;
        (closedNotional, pnl) = _victimTotals(s, marketId, user, size, fills);
        _reduce(s, marketId, user, size, closed, pnl, (closedNotional * PositionMath.ONE) / closed);
        badDebt = LedgerLib.bookPnlForced(s, marketId, user, pnl);
    }

    /// @dev Realized PnL of the liquidated side per fill price (entry fixed: reduce only) and the
    /// closed notional.
    function _victimTotals(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        int256 size,
        ICoreVault.LiquidationFill[] calldata fills
    ) private view returns (uint256 notional, int256 pnl) {
        uint256 entry = s.positions[marketId][user].entryPriceX18;
        for (uint256 i; i < fills.length; ++i) {
            uint256 sz = fills[i].size;
            uint256 price = fills[i].price;
            notional += PositionMath.notional(sz, price);
            pnl += PositionMath.pnl(size > 0 ? sz.toInt256() : -sz.toInt256(), entry, price);
        }
    }

    /// @dev Maker sides of every fill (band check, release, forced trade; the fee once per run of
    /// one maker); returns the total closed.
    function _makerSides(
        VaultStorage.Layout storage s,
        VaultStorage.Market storage m,
        bytes32 marketId,
        int256 size,
        ICoreVault.LiquidationFill[] calldata fills
    ) private returns (uint256 closed) {
        uint256 fees;
        uint256 feeRun;
        for (uint256 i; i < fills.length; ++i) {
            ICoreVault.LiquidationFill calldata f = fills[i];
            _makerFill(s, m, marketId, size > 0, f);
            closed += f.size;
            feeRun += f.makerFee;
            if (i + 1 == fills.length || fills[i + 1].maker != f.maker) {
                fees += LedgerLib.takeFee(s, marketId, f.maker, feeRun, false);
                RiskGroupLib.touch(s, f.maker, marketId);
                feeRun = 0;
            }
        }
        LedgerLib.collectFees(s, marketId, fees);
    }

    /// @dev One fill's maker side: the price inside the mark band, the order's reservation share
    /// released, the maker's forced trade (buy when the liquidated account sells).
    function _makerFill(
        VaultStorage.Layout storage s,
        VaultStorage.Market storage m,
        bytes32 marketId,
        bool makerBuys,
        ICoreVault.LiquidationFill calldata f
    ) private {
        uint256 sz = f.size;
        uint256 price = f.price;
        if (sz == 0 || price == 0) revert ICoreVault.ZeroAmount();
        uint256 mark = m.markPrice;
        uint256 band = s.maxMarkMoveBps;
        uint256 diff = price > mark ? price - mark : mark - price;
        if (mark == 0 || diff * PositionMath.BPS > mark * band) {
            revert ICoreVault.LiquidationPriceOutOfBand(marketId, price, mark, band);
        }
        if (f.makerRelease != 0) LedgerLib.unreserve(s, f.maker, f.makerRelease);
        int256 delta = makerBuys ? sz.toInt256() : -sz.toInt256();
        (int256 pnl, ) = LedgerLib.trade(s, marketId, m.initialMarginBps, f.maker, delta, price);
        LedgerLib.bookPnlForced(s, marketId, f.maker, pnl);
    }

    /// @dev The liquidated side in one write: reduce `size` by `closed` (entry unchanged), margin
    /// released pro rata (all of it on a close), index removal on a close, one PositionUpdated at
    /// the closed notional's average price with the summed realized PnL.
    function _reduce(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        int256 size,
        uint256 closed,
        int256 pnl,
        uint256 avgPrice
    ) private {
        VaultStorage.Position storage p = s.positions[marketId][user];
        int256 newSize = size > 0 ? size - closed.toInt256() : size + closed.toInt256();
        uint256 locked = p.marginLocked;
        uint256 freed = newSize == 0 ? locked : (locked * closed) / PositionMath.abs(size);
        uint8 accountSlot = p.accountSlot;
        uint256 entry = p.entryPriceX18;
        if (freed != 0) {
            VaultStorage.Account storage a = s.accounts[user];
            a.lockedMargin = uint120(uint256(a.lockedMargin) - freed);
            emit ICoreVault.MarginReleased(user, marketId, freed, locked - freed);
        }
        if (newSize == 0) {
            IndexLib.remove(s, marketId, user, accountSlot);
            delete s.positions[marketId][user];
        } else {
            // |newSize| < |size| and locked - freed <= locked: the casts cannot truncate.
            s.positions[marketId][user] = VaultStorage.Position({
                size: int104(newSize),
                entryPriceX18: uint88(entry),
                marginLocked: uint56(locked - freed),
                accountSlot: accountSlot
            });
        }
        emit ICoreVault.PositionUpdated(
            user,
            marketId,
            size,
            newSize,
            newSize == 0 ? 0 : entry / PositionMath.PRICE_SCALE,
            avgPrice,
            pnl
        );
    }

    function payMakerRewards(
        bytes32 marketId,
        address[] calldata makers,
        uint256[] calldata amounts
    ) external onlyDelegated whenNotPaused {
        VaultStorage.Market storage m = _marketOfCaller(marketId);
        if (makers.length != amounts.length) revert ICoreVault.LengthMismatch(makers.length, amounts.length);
        uint256 total;
        for (uint256 i; i < amounts.length; ++i) total += amounts[i];
        uint256 escrow = m.makerEscrow;
        if (total > escrow) revert ICoreVault.RewardExceedsPool(marketId, total, escrow);
        // total <= escrow.
        m.makerEscrow = uint128(escrow - total);
        VaultStorage.Layout storage s = VaultStorage.load();
        for (uint256 i; i < makers.length; ++i) {
            if (amounts[i] == 0) continue;
            // A keeper claiming a deferred liquidator reward may never have held a balance here.
            IndexLib.ensureUserTracked(s, makers[i]);
            LedgerLib.credit(s, makers[i], amounts[i]);
            emit ICoreVault.MakerRewardsPaid(marketId, makers[i], amounts[i]);
        }
    }

    // ------------------------------------------------------------------ ADL and socialization

    function adlFill(
        bytes32 marketId,
        address bankrupt,
        address counterparty,
        uint256 size
    ) external onlyDelegated whenNotPaused returns (uint256 closed) {
        VaultStorage.Market storage m = _marketForOrderBook(marketId);
        if (size == 0) revert ICoreVault.ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        int256 bSize = s.positions[marketId][bankrupt].size;
        if (bSize == 0) revert ICoreVault.NoPosition(bankrupt, marketId);
        closed = _adlSize(s, m, marketId, counterparty, bSize, size);
        _requireLiquidating(s, bankrupt, marketId);
        uint256 price = PriceLib.price(s, bankrupt, marketId, false);
        if (price == 0) price = m.markPrice;
        int256 bDelta = bSize > 0 ? -closed.toInt256() : closed.toInt256();
        _forcedTrade(s, marketId, m.initialMarginBps, bankrupt, bDelta, price);
        _forcedTrade(s, marketId, m.initialMarginBps, counterparty, -bDelta, price);
        emit ICoreVault.AdlExecuted(marketId, bankrupt, counterparty, closed, price);
    }

    /// @dev The counterparty must hold the opposite side in profit at the mark; returns the size closed.
    function _adlSize(
        VaultStorage.Layout storage s,
        VaultStorage.Market storage m,
        bytes32 marketId,
        address counterparty,
        int256 bSize,
        uint256 size
    ) private view returns (uint256 closed) {
        uint256 mark = m.markPrice;
        VaultStorage.Position storage cp = s.positions[marketId][counterparty];
        int256 cSize = cp.size;
        if (
            cSize == 0 ||
            (cSize > 0) == (bSize > 0) ||
            mark == 0 ||
            PositionMath.pnl(cSize, cp.entryPriceX18, mark) <= 0
        ) {
            revert ICoreVault.NotProfitableCounterparty(counterparty, marketId);
        }
        closed = size;
        if (PositionMath.abs(bSize) < closed) closed = PositionMath.abs(bSize);
        if (PositionMath.abs(cSize) < closed) closed = PositionMath.abs(cSize);
    }

    function _forcedTrade(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        uint256 imBps,
        address user,
        int256 delta,
        uint256 price
    ) private returns (uint256 uncovered) {
        (int256 pnl, ) = LedgerLib.trade(s, marketId, imBps, user, delta, price);
        uncovered = LedgerLib.bookPnlForced(s, marketId, user, pnl);
        RiskGroupLib.touch(s, user, marketId);
    }

    /// @dev Haircuts unrealized profit: the winner's entry moves toward the mark by `take`, so the
    /// same profit cannot be tapped twice and balances (and flat users) are never touched.
    function socializeDeficit(
        bytes32 marketId,
        address[] calldata candidates
    ) external onlyDelegated whenNotPaused returns (uint256 recovered) {
        VaultStorage.Market storage m = _marketOfCaller(marketId);
        uint256 n = candidates.length;
        if (n > MAX_SOCIALIZE_CANDIDATES) {
            revert ICoreVault.ParamOutOfBounds("candidates", n, 0, MAX_SOCIALIZE_CANDIDATES);
        }
        uint256 deficit = m.deficit;
        uint256 mark = m.markPrice;
        if (deficit == 0 || mark == 0) return 0;
        VaultStorage.Layout storage s = VaultStorage.load();
        for (uint256 i; i < n && deficit != 0; ++i) {
            address user = candidates[i];
            uint256 take = _haircut(s, marketId, user, mark, deficit);
            if (take == 0) continue;
            deficit -= take;
            recovered += take;
            emit ICoreVault.LossSocialized(marketId, user, take, deficit);
        }
        m.deficit = uint128(deficit);
    }

    function _haircut(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        uint256 mark,
        uint256 cap
    ) private returns (uint256 take) {
        VaultStorage.Position storage p = s.positions[marketId][user];
        int256 size = p.size;
        if (size == 0) return 0;
        uint256 entry = p.entryPriceX18;
        int256 u = PositionMath.pnl(size, entry, mark);
        if (u <= 0) return 0;
        take = uint256(u) < cap ? uint256(u) : cap;
        uint256 a = PositionMath.abs(size);
        // Round the entry shift up so the profit removed is at least `take`; a long's entry stays
        // <= mark and a short's >= mark because take <= uPnL.
        uint256 shift = (take * PositionMath.PNL_DIV + a - 1) / a;
        uint256 newEntry = size > 0 ? entry + shift : entry - shift;
        p.entryPriceX18 = newEntry.toUint88();
        RiskGroupLib.touch(s, user, marketId);
        emit ICoreVault.PositionUpdated(user, marketId, size, size, newEntry / PositionMath.PRICE_SCALE, mark, 0);
    }

    // ------------------------------------------------------------------ settlement

    function settleMarket(
        bytes32 marketId,
        uint256 finalPrice
    ) external onlyDelegated onlyRole(SETTLEMENT_ROLE) whenNotPaused {
        VaultStorage.Layout storage s = VaultStorage.load();
        VaultStorage.Market storage m = s.markets[marketId];
        if (m.status == VaultStorage.STATUS_NONE) revert ICoreVault.UnknownMarket(marketId);
        if (m.status != VaultStorage.STATUS_ACTIVE) revert ICoreVault.MarketIsSettled(marketId);
        if (finalPrice == 0) revert ICoreVault.ZeroAmount();
        _checkMove(s, marketId, m.markPrice, finalPrice);
        m.finalPrice = finalPrice.toUint128();
        m.markPrice = finalPrice.toUint128();
        m.status = VaultStorage.STATUS_SETTLING;
        emit ICoreVault.SettlementStarted(marketId, finalPrice);
        _processSettlement(s, marketId, FIRST_SETTLEMENT_PAGE);
    }

    function processSettlement(
        bytes32 marketId,
        uint256 maxPositions
    ) external onlyDelegated onlyRole(SETTLEMENT_ROLE) whenNotPaused returns (bool done) {
        VaultStorage.Layout storage s = VaultStorage.load();
        if (s.markets[marketId].status != VaultStorage.STATUS_SETTLING) revert ICoreVault.MarketNotSettling(marketId);
        if (maxPositions > MAX_PAGE_SIZE) maxPositions = MAX_PAGE_SIZE;
        return _processSettlement(s, marketId, maxPositions);
    }

    function sweepFees(bytes32 marketId) external onlyDelegated whenNotPaused returns (uint256 swept) {
        VaultStorage.Layout storage s = VaultStorage.load();
        VaultStorage.Market storage m = s.markets[marketId];
        swept = m.feePool;
        if (swept == 0) return 0;
        m.feePool = 0;
        uint256 toProtocol = (swept * s.protocolShareBps) / PositionMath.BPS;
        emit ICoreVault.FeesSwept(marketId, toProtocol, swept - toProtocol);
        if (toProtocol != 0) LedgerLib.credit(s, s.protocolFeeRecipient, toProtocol);
        if (swept != toProtocol) LedgerLib.fundInsurance(s, marketId, swept - toProtocol);
    }

    /// @dev Close up to `maxPositions` positions from the end of the market index at the final
    /// price (each close pops the last entry: O(1) per position, no scan).
    function _processSettlement(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        uint256 maxPositions
    ) private returns (bool done) {
        VaultStorage.Market storage m = s.markets[marketId];
        address[] storage list = s.usersWithPositions[marketId];
        uint256 price = m.finalPrice;
        uint256 imBps = m.initialMarginBps;
        uint256 n = list.length < maxPositions ? list.length : maxPositions;
        for (uint256 i; i < n; ++i) {
            address user = list[list.length - 1];
            int256 size = s.positions[marketId][user].size;
            (int256 pnl, ) = LedgerLib.trade(s, marketId, imBps, user, -size, price);
            LedgerLib.bookPnlForced(s, marketId, user, pnl);
            RiskGroupLib.touch(s, user, marketId); // its other markets' groups see the loss
        }
        uint256 settled = uint256(m.settledPositions) + n;
        m.settledPositions = uint128(settled);
        if (list.length != 0) return false;
        m.status = VaultStorage.STATUS_SETTLED;
        emit ICoreVault.VaultMarketSettled(marketId, price, settled);
        return true;
    }

    // ------------------------------------------------------------------ successor backing

    /// @dev See ICoreVault.transferToSuccessor: the retired vault's admin moves its USDC to the successor,
    /// which must pull exactly `amount` (its receiveBacking books it) or the whole move reverts.
    function transferToSuccessor(
        address successor,
        uint256 amount
    ) external onlyDelegated onlyRole(DEFAULT_ADMIN_ROLE) whenPaused {
        if (successor == address(this) || successor.code.length == 0) revert ICoreVault.InvalidSuccessor(successor);
        if (amount == 0) revert ICoreVault.ZeroAmount();
        IERC20 token = IERC20(VaultStorage.load().collateral);
        uint256 held = token.balanceOf(address(this));
        if (amount > held) revert ICoreVault.InsufficientVaultLiquidity(amount, held);
        emit ICoreVault.TransferredToSuccessor(successor, amount);
        // USDC approve returns true; the allowance check below is what proves the pull happened.
        token.approve(successor, amount);
        ICoreVault(successor).receiveBacking(amount);
        uint256 left = token.allowance(address(this), successor);
        if (left != 0) revert ICoreVault.SuccessorDidNotPull(successor, amount, left);
    }

    // ------------------------------------------------------------------ insurance and top-up

    function fundInsurance(bytes32 marketId, uint256 amount) external onlyDelegated whenNotPaused {
        if (amount == 0) revert ICoreVault.ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        if (s.markets[marketId].status == VaultStorage.STATUS_NONE) revert ICoreVault.UnknownMarket(marketId);
        IERC20(s.collateral).safeTransferFrom(msg.sender, address(this), amount);
        LedgerLib.fundInsurance(s, marketId, amount);
    }

    /// @dev Under cross margin this locks extra free collateral against the position (it can no
    /// longer be withdrawn or reserved); it is released when the position closes.
    function topUpPositionMargin(bytes32 marketId, uint256 amount) external onlyDelegated whenNotPaused {
        if (amount == 0) revert ICoreVault.ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        if (s.markets[marketId].status != VaultStorage.STATUS_ACTIVE) revert ICoreVault.MarketIsSettled(marketId);
        VaultStorage.Position storage p = s.positions[marketId][msg.sender];
        if (p.size == 0) revert ICoreVault.NoPosition(msg.sender, marketId);
        int256 freeSigned = MarginLib.freeCollateral(s, msg.sender);
        uint256 free = freeSigned > 0 ? uint256(freeSigned) : 0;
        if (amount > free) revert ICoreVault.InsufficientFreeCollateral(msg.sender, amount, free);
        uint256 newLocked = uint256(p.marginLocked) + amount;
        p.marginLocked = newLocked.toUint56();
        VaultStorage.Account storage a = s.accounts[msg.sender];
        a.lockedMargin = (uint256(a.lockedMargin) + amount).toUint120();
        emit ICoreVault.MarginLocked(msg.sender, marketId, amount, newLocked);
    }

    // ------------------------------------------------------------------ helpers

    function _liquidationSide(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        uint256 imBps,
        address user,
        int256 delta,
        uint256 price
    ) private returns (int256 pnl, uint256 badDebt) {
        if (delta == 0 || price == 0) revert ICoreVault.ZeroAmount();
        int256 size = s.positions[marketId][user].size;
        if (size == 0) revert ICoreVault.NotLiquidatable(user, marketId);
        if ((size > 0) == (delta > 0) || PositionMath.abs(delta) > PositionMath.abs(size)) {
            revert ICoreVault.LiquidationMustReduce(user, marketId, size, delta);
        }
        _requireLiquidating(s, user, marketId);
        _requireInBand(s, marketId, price);
        (pnl, ) = LedgerLib.trade(s, marketId, imBps, user, delta, price);
        badDebt = LedgerLib.bookPnlForced(s, marketId, user, pnl);
        RiskGroupLib.touch(s, user, marketId);
    }

    /// @dev The order book chooses the fill price; the vault bounds it to the mark's band so a
    /// liquidation never closes an account at a price far from the mark.
    function _requireInBand(VaultStorage.Layout storage s, bytes32 marketId, uint256 price) private view {
        uint256 mark = s.markets[marketId].markPrice;
        uint256 band = s.maxMarkMoveBps;
        uint256 diff = price > mark ? price - mark : mark - price;
        if (mark == 0 || diff * PositionMath.BPS > mark * band) {
            revert ICoreVault.LiquidationPriceOutOfBand(marketId, price, mark, band);
        }
    }

    /// @dev The first liquidation step of a user in a transaction checks the account at the stored
    /// mark; later steps of the same transaction (partial fills) rely on that check.
    function _requireLiquidating(VaultStorage.Layout storage s, address user, bytes32 marketId) private {
        if (_tget(LIQUIDATING, user, marketId) != 0) return;
        if (!MarginLib.isLiquidatable(s, user, marketId, 0)) revert ICoreVault.NotLiquidatable(user, marketId);
        _tset(LIQUIDATING, user, marketId);
    }

    function _tkey(bytes32 tag, address user, bytes32 marketId) private pure returns (bytes32) {
        return keccak256(abi.encode(tag, user, marketId));
    }

    function _tget(bytes32 tag, address user, bytes32 marketId) private view returns (uint256 v) {
        bytes32 key = _tkey(tag, user, marketId);
        assembly {
            v := tload(key)
        }
    }

    function _tset(bytes32 tag, address user, bytes32 marketId) private {
        bytes32 key = _tkey(tag, user, marketId);
        assembly {
            tstore(key, 1)
        }
    }
}
