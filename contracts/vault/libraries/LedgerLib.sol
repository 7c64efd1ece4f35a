// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {VaultStorage} from "../storage/VaultStorage.sol";
import {PositionMath} from "./PositionMath.sol";
import {IndexLib} from "./IndexLib.sol";
import {RiskGroupLib} from "./RiskGroupLib.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";

/// @title LedgerLib
/// @notice Every position and balance mutation of the vault goes through here, so every path
/// (fills, liquidations, ADL, settlement) updates the position, the margin totals and every
/// index the same way. Writes here can make an account riskier (a position change, a balance
/// decrease): every vault entry point that calls them ends with `RiskGroupLib.touch` for each
/// account it changed, which keeps the poke's safe-price summaries a superset of the truth.
library LedgerLib {
    using SafeCast for uint256;
    using SafeCast for int256;

    /// @notice Apply `delta` at `price` to (user, marketId): margin lock/release, index flips,
    /// events. PnL is returned, not booked: the caller decides between revert and loss waterfall.
    /// @return realizedPnl USDC, losses rounded up; @return grew true when exposure was opened
    function trade(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        uint256 imBps,
        address user,
        int256 delta,
        uint256 price
    ) internal returns (int256 realizedPnl, bool grew) {
        VaultStorage.Position storage p = s.positions[marketId][user];
        int256 oldSize = p.size;
        PositionMath.Trade memory t = PositionMath.applyTrade(oldSize, p.entryPriceX18, delta, price);
        t.lock = t.openedAbs != 0 ? PositionMath.initialMargin(t.openedAbs, price, imBps) : 0;
        _margin(s, p, marketId, user, t);
        uint8 accountSlot = _reindex(s, marketId, user, oldSize, t.newSize, p.accountSlot);
        s.positions[marketId][user] = VaultStorage.Position({
            size: t.newSize.toInt104(),
            entryPriceX18: t.newEntryX18.toUint88(),
            marginLocked: t.newLocked.toUint56(),
            accountSlot: accountSlot
        });
        if (oldSize == 0) RiskGroupLib.opened(s, marketId, user);
        _emitUpdate(user, marketId, oldSize, t, price);
        return (t.realizedPnl, t.openedAbs != 0);
    }

    function _emitUpdate(
        address user,
        bytes32 marketId,
        int256 oldSize,
        PositionMath.Trade memory t,
        uint256 price
    ) private {
        emit ICoreVault.PositionUpdated(
            user,
            marketId,
            oldSize,
            t.newSize,
            t.newEntryX18 / PositionMath.PRICE_SCALE,
            price,
            t.realizedPnl
        );
    }

    /// @dev Release margin pro rata to the size closed (all of it on a close or flip), lock initial
    /// margin (`t.lock`) for size opened; keeps the account's locked total in step; sets `t.newLocked`.
    function _margin(
        VaultStorage.Layout storage s,
        VaultStorage.Position storage p,
        bytes32 marketId,
        address user,
        PositionMath.Trade memory t
    ) private {
        uint256 locked = p.marginLocked;
        uint256 freed;
        if (t.closedAbs != 0) {
            freed = (t.newSize == 0 || t.openedAbs != 0)
                ? locked
                : (locked * t.closedAbs) / (t.closedAbs + PositionMath.abs(t.newSize));
        }
        uint256 lock = t.lock;
        if (freed != lock) {
            VaultStorage.Account storage a = s.accounts[user];
            a.lockedMargin = (uint256(a.lockedMargin) + lock - freed).toUint120();
        }
        if (freed != 0) emit ICoreVault.MarginReleased(user, marketId, freed, locked - freed);
        t.newLocked = locked - freed + lock;
        if (lock != 0) emit ICoreVault.MarginLocked(user, marketId, lock, t.newLocked);
    }

    /// @dev Index flips on 0 <-> non-0; returns the position's slot in the account's market list.
    function _reindex(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        int256 oldSize,
        int256 newSize,
        uint8 accountSlot
    ) private returns (uint8) {
        if (oldSize == 0) {
            IndexLib.ensureUserTracked(s, user);
            return IndexLib.add(s, marketId, user);
        }
        if (newSize == 0) {
            IndexLib.remove(s, marketId, user, accountSlot);
            return 0;
        }
        return accountSlot;
    }

    function credit(VaultStorage.Layout storage s, address user, uint256 amount) internal {
        VaultStorage.Account storage a = s.accounts[user];
        a.balance = (uint256(a.balance) + amount).toUint128();
    }

    /// @notice Book realized PnL. A loss beyond the balance empties it and returns the shortfall.
    function bookPnl(VaultStorage.Layout storage s, address user, int256 pnl) internal returns (uint256 shortfall) {
        VaultStorage.Account storage a = s.accounts[user];
        uint256 bal = a.balance;
        if (pnl >= 0) {
            a.balance = (bal + uint256(pnl)).toUint128();
            return 0;
        }
        uint256 loss = uint256(-pnl);
        if (loss <= bal) {
            // loss <= bal checked above.
            unchecked {
                a.balance = uint128(bal - loss);
            }
        } else {
            a.balance = 0;
            shortfall = loss - bal;
        }
    }

    /// @notice Take `amount` (<= balance, checked by the caller) out of the user's balance.
    function debit(VaultStorage.Layout storage s, address user, uint256 amount) internal {
        VaultStorage.Account storage a = s.accounts[user];
        a.balance = (uint256(a.balance) - amount).toUint128();
    }

    /// @notice Loss waterfall for a shortfall: the market's insurance fund first, then the
    /// market deficit (recovered later by ADL / socialization). Returns what insurance missed.
    function coverShortfall(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        uint256 shortfall
    ) internal returns (uint256 uncovered) {
        if (shortfall == 0) return 0;
        VaultStorage.Market storage m = s.markets[marketId];
        uint256 ins = m.insurance;
        uint256 draw = shortfall < ins ? shortfall : ins;
        if (draw != 0) {
            m.insurance = uint128(ins - draw);
            emit ICoreVault.InsuranceDrawn(marketId, user, draw, ins - draw);
        }
        uncovered = shortfall - draw;
        if (uncovered != 0) {
            uint256 deficit = uint256(m.deficit) + uncovered;
            m.deficit = deficit.toUint128();
            emit ICoreVault.BadDebtRecorded(marketId, user, uncovered, deficit);
        }
    }

    /// @notice Book PnL and run the waterfall on any shortfall (forced paths: makers, liquidations, ADL, settlement).
    function bookPnlForced(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        int256 pnl
    ) internal returns (uint256 uncovered) {
        return coverShortfall(s, marketId, user, bookPnl(s, user, pnl));
    }

    /// @notice Take `fee` from the user's balance; `strict` reverts when short, otherwise takes what is there.
    function takeFee(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        address user,
        uint256 fee,
        bool strict
    ) internal returns (uint256 taken) {
        if (fee == 0) return 0;
        VaultStorage.Account storage a = s.accounts[user];
        uint256 bal = a.balance;
        if (fee > bal) {
            if (strict) revert ICoreVault.InsufficientFreeCollateral(user, fee, bal);
            fee = bal;
        }
        // fee <= bal.
        unchecked {
            a.balance = uint128(bal - fee);
        }
        emit ICoreVault.FeeCharged(user, marketId, fee, address(this));
        return fee;
    }

    /// @notice Collect fees into the market's fee pool (one slot shared with the mark, already
    /// warm on the fill path); `sweepFees` later splits the pool between protocol and insurance.
    function collectFees(VaultStorage.Layout storage s, bytes32 marketId, uint256 amount) internal {
        if (amount == 0) return;
        VaultStorage.Market storage m = s.markets[marketId];
        m.feePool = (uint256(m.feePool) + amount).toUint128();
    }

    function fundInsurance(VaultStorage.Layout storage s, bytes32 marketId, uint256 amount) internal {
        VaultStorage.Market storage m = s.markets[marketId];
        uint256 ins = uint256(m.insurance) + amount;
        m.insurance = ins.toUint128();
        emit ICoreVault.InsuranceFunded(marketId, amount, ins);
    }

    /// @notice Give back `amount` of `user`'s reserved margin (the book releases what its orders
    /// reserved: on a fill, a cancel or any other removal). Reverts beyond the reserved total.
    function unreserve(VaultStorage.Layout storage s, address user, uint256 amount) internal {
        VaultStorage.Account storage a = s.accounts[user];
        uint256 reserved = a.reservedMargin;
        if (amount > reserved) revert ICoreVault.ReleaseExceedsReserved(user, amount, reserved);
        // amount <= reserved.
        unchecked {
            a.reservedMargin = uint120(reserved - amount);
        }
    }
}
