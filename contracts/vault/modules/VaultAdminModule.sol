// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {VaultModule} from "./VaultModule.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {VaultStorage} from "../storage/VaultStorage.sol";
import {IndexLib} from "../libraries/IndexLib.sol";
import {LedgerLib} from "../libraries/LedgerLib.sol";
import {MarginLib} from "../libraries/MarginLib.sol";
import {RiskGroupLib} from "../libraries/RiskGroupLib.sol";

/// @title VaultAdminModule
/// @notice CoreVault's wiring (order books, markets), risk and fee parameters, and the successor
/// backing a migration moves in. Run only by delegatecall from the implementation, which deploys
/// it in its constructor; like the other modules it declares no storage and refuses direct calls.
/// @dev Function semantics are documented in ICoreVault.
contract VaultAdminModule is VaultModule {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ initialization

    /// @notice Proxy initializer: `usdc` must report 6 decimals; `admin` gets DEFAULT_ADMIN_ROLE.
    function initialize(address usdc, address admin) external onlyDelegated initializer {
        if (usdc == address(0) || admin == address(0)) revert ICoreVault.ZeroAddress();
        uint8 dec = IERC20Metadata(usdc).decimals();
        if (dec != 6) revert ICoreVault.InvalidCollateralDecimals(usdc, dec);
        __AccessControlEnumerable_init();
        __Pausable_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        VaultStorage.Layout storage s = VaultStorage.load();
        s.collateral = usdc;
        s.protocolFeeRecipient = admin;
        // Defaults (each within the bounds the setters enforce): MM = 50 % of IM, 2.5 % penalty split
        // 50 % insurance / 20 % liquidator / 30 % makers, half of fees to the protocol, 10 % mark move.
        s.mmrOfImrBps = 5000;
        s.penaltyBps = 250;
        s.insuranceShareBps = 5000;
        s.liquidatorShareBps = 2000;
        s.protocolShareBps = 5000;
        s.maxMarkMoveBps = 1000;
        emit ICoreVault.MmrParamsSet(5000);
        emit ICoreVault.LiquidationParamsSet(250, 5000, 2000);
        emit ICoreVault.FeeParamsSet(admin, 5000);
        emit ICoreVault.MaxMarkMoveSet(1000);
    }

    // ------------------------------------------------------------------ wiring and admin

    uint16 internal constant DEFAULT_IM_BPS = 1000; // 10x

    /// @dev Also grants ORDERBOOK_ROLE, so a factory holding FACTORY_ROLE can wire a new book alone.
    function registerOrderBook(address orderBook) external onlyDelegated {
        _checkAdminOrFactory();
        if (orderBook == address(0)) revert ICoreVault.ZeroAddress();
        VaultStorage.Layout storage s = VaultStorage.load();
        if (s.orderBookIndex[orderBook] == 0) {
            s.orderBooks.push(orderBook);
            s.orderBookIndex[orderBook] = s.orderBooks.length;
            emit ICoreVault.OrderBookRegistered(orderBook);
        }
        _grantRole(ORDERBOOK_ROLE, orderBook);
    }

    function assignMarketToOrderBook(bytes32 marketId, address orderBook) external onlyDelegated {
        _checkAdminOrFactory();
        VaultStorage.Layout storage s = VaultStorage.load();
        if (s.orderBookIndex[orderBook] == 0) revert ICoreVault.OrderBookNotRegistered(orderBook);
        VaultStorage.Market storage m = s.markets[marketId];
        address previous = m.orderBook;
        if (m.status == VaultStorage.STATUS_NONE) {
            m.status = VaultStorage.STATUS_ACTIVE;
            m.initialMarginBps = DEFAULT_IM_BPS;
            s.marketIds.push(marketId);
            emit ICoreVault.MarketRiskParamsSet(marketId, DEFAULT_IM_BPS);
        }
        m.orderBook = orderBook;
        emit ICoreVault.MarketAssigned(marketId, orderBook, previous);
    }

    /// @dev 100..10_000 bps (100x..1x). Applies to margin locked from now on.
    function setMarketRiskParams(bytes32 marketId, uint256 initialMarginBps) external onlyDelegated {
        _checkAdminOrFactory();
        VaultStorage.Market storage m = VaultStorage.load().markets[marketId];
        if (m.status == VaultStorage.STATUS_NONE) revert ICoreVault.UnknownMarket(marketId);
        if (initialMarginBps < 100 || initialMarginBps > 10_000) {
            revert ICoreVault.ParamOutOfBounds("initialMarginBps", initialMarginBps, 100, 10_000);
        }
        m.initialMarginBps = uint16(initialMarginBps);
        emit ICoreVault.MarketRiskParamsSet(marketId, initialMarginBps);
    }

    /// @dev 1_000..9_000 bps of initial margin, so maintenance < initial at every leverage.
    function setMmrParams(uint256 mmrOfImrBps) external onlyDelegated onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMmr(VaultStorage.load(), mmrOfImrBps);
    }

    /// @dev penalty <= 1_000 bps of closed notional; insurance + liquidator shares <= 10_000, the rest to makers.
    function setLiquidationParams(
        uint256 penaltyBps,
        uint256 insuranceShareBps,
        uint256 liquidatorShareBps
    ) external onlyDelegated onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLiquidation(VaultStorage.load(), penaltyBps, insuranceShareBps, liquidatorShareBps);
    }

    /// @dev protocolShareBps of every fee goes to the recipient's vault balance, the rest to the market's insurance.
    function setFeeParams(
        address protocolFeeRecipient,
        uint256 protocolShareBps
    ) external onlyDelegated onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFees(VaultStorage.load(), protocolFeeRecipient, protocolShareBps);
    }

    /// @dev 10..5_000 bps per update.
    function setMaxMarkMove(uint256 maxMarkMoveBps) external onlyDelegated onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxMarkMove(VaultStorage.load(), maxMarkMoveBps);
    }

    // ------------------------------------------------------------------ cross-chain credits

    function creditExternal(
        address user,
        uint256 amount
    ) external onlyDelegated onlyRole(EXTERNAL_CREDITOR_ROLE) whenNotPaused {
        if (user == address(0)) revert ICoreVault.ZeroAddress();
        if (amount == 0) revert ICoreVault.ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        IndexLib.ensureUserTracked(s, user);
        VaultStorage.Account storage a = s.accounts[user];
        a.balance = (uint256(a.balance) + amount).toUint128();
        a.externalCredit = (uint256(a.externalCredit) + amount).toUint128();
        s.totalExternalCredits += amount;
        emit ICoreVault.ExternalCredited(user, amount, msg.sender);
    }

    function debitExternal(
        address user,
        uint256 amount
    ) external onlyDelegated onlyRole(EXTERNAL_CREDITOR_ROLE) whenNotPaused {
        if (amount == 0) revert ICoreVault.ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        VaultStorage.Account storage a = s.accounts[user];
        uint256 credited = a.externalCredit;
        if (amount > credited) revert ICoreVault.InsufficientExternalCredit(user, amount, credited);
        uint256 free = MarginLib.freeFloored(s, user);
        if (amount > free) revert ICoreVault.InsufficientFreeCollateral(user, amount, free);
        // amount <= free <= balance and amount <= credited <= totalExternalCredits.
        LedgerLib.debit(s, user, amount);
        RiskGroupLib.touch(s, user, bytes32(0));
        a.externalCredit = uint128(credited - amount);
        s.totalExternalCredits -= amount;
        emit ICoreVault.ExternalDebited(user, amount, msg.sender);
    }

    // ------------------------------------------------------------------ successor backing

    /// @dev Open to anyone: it only ever adds tokens, and books exactly what it pulled.
    function receiveBacking(uint256 amount) external onlyDelegated {
        if (amount == 0) revert ICoreVault.ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        IERC20(s.collateral).safeTransferFrom(msg.sender, address(this), amount);
        uint256 unallocated = s.unallocatedBacking + amount;
        s.unallocatedBacking = unallocated;
        emit ICoreVault.BackingReceived(msg.sender, amount, unallocated);
    }

    function convertExternalCredit(
        address[] calldata users,
        uint256[] calldata amounts
    ) external onlyDelegated onlyRole(DEFAULT_ADMIN_ROLE) {
        if (users.length != amounts.length) revert ICoreVault.LengthMismatch(users.length, amounts.length);
        VaultStorage.Layout storage s = VaultStorage.load();
        uint256 backing = s.unallocatedBacking;
        uint256 total;
        for (uint256 i; i < users.length; ++i) {
            address user = users[i];
            uint256 amount = amounts[i];
            if (amount == 0) revert ICoreVault.ZeroAmount();
            if (amount > backing) revert ICoreVault.InsufficientBacking(amount, backing);
            VaultStorage.Account storage a = s.accounts[user];
            uint256 credited = a.externalCredit;
            if (amount > credited) revert ICoreVault.InsufficientExternalCredit(user, amount, credited);
            // amount <= credited <= totalExternalCredits and amount <= backing.
            a.externalCredit = uint128(credited - amount);
            backing -= amount;
            total += amount;
            s.backedCredit[user] += amount;
            emit ICoreVault.ExternalCreditBacked(user, amount, backing);
        }
        s.unallocatedBacking = backing;
        s.totalExternalCredits -= total;
    }

    // ------------------------------------------------------------------ parameter checks

    function _setMmr(VaultStorage.Layout storage s, uint256 v) private {
        if (v < 1000 || v > 9000) revert ICoreVault.ParamOutOfBounds("mmrOfImrBps", v, 1000, 9000);
        s.mmrOfImrBps = uint16(v);
        emit ICoreVault.MmrParamsSet(v);
    }

    function _setLiquidation(VaultStorage.Layout storage s, uint256 penalty, uint256 ins, uint256 liq) private {
        if (penalty > 1000) revert ICoreVault.ParamOutOfBounds("penaltyBps", penalty, 0, 1000);
        if (ins + liq > 10_000)
            revert ICoreVault.ParamOutOfBounds("insuranceShareBps+liquidatorShareBps", ins + liq, 0, 10_000);
        s.penaltyBps = uint16(penalty);
        s.insuranceShareBps = uint16(ins);
        s.liquidatorShareBps = uint16(liq);
        emit ICoreVault.LiquidationParamsSet(penalty, ins, liq);
    }

    function _setFees(VaultStorage.Layout storage s, address recipient, uint256 share) private {
        if (recipient == address(0)) revert ICoreVault.ZeroAddress();
        if (share > 10_000) revert ICoreVault.ParamOutOfBounds("protocolShareBps", share, 0, 10_000);
        s.protocolFeeRecipient = recipient;
        s.protocolShareBps = uint16(share);
        emit ICoreVault.FeeParamsSet(recipient, share);
    }

    function _setMaxMarkMove(VaultStorage.Layout storage s, uint256 v) private {
        if (v < 10 || v > 5000) revert ICoreVault.ParamOutOfBounds("maxMarkMoveBps", v, 10, 5000);
        s.maxMarkMoveBps = uint16(v);
        emit ICoreVault.MaxMarkMoveSet(v);
    }
}
