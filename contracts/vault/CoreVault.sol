// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICoreVault} from "../interfaces/ICoreVault.sol";
import {VaultStorage} from "./storage/VaultStorage.sol";
import {LedgerLib} from "./libraries/LedgerLib.sol";
import {MarginLib} from "./libraries/MarginLib.sol";
import {IndexLib} from "./libraries/IndexLib.sol";
import {RiskGroupLib} from "./libraries/RiskGroupLib.sol";
import {VaultViews} from "./VaultViews.sol";
import {VaultScreenModule} from "./modules/VaultScreenModule.sol";
import {VaultAdminModule} from "./modules/VaultAdminModule.sol";

/// @title CoreVault
/// @notice Collateral and position ledger behind an ERC-1967 UUPS proxy. Balances, the order-book
/// fill path, marks, wiring and views live here; liquidation, ADL, socialization and settlement run
/// in VaultRiskModule through delegatecall (same ERC-7201 namespaces, no storage of its own).
contract CoreVault is ICoreVault, VaultViews, UUPSUpgradeable {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice VaultRiskModule reached by delegatecall; fixed per implementation (an upgrade swaps both).
    address public immutable RISK_MODULE;
    /// @notice VaultScreenModule reached by delegatecall; deployed by this constructor, so it
    /// always matches this implementation and needs no deployment step of its own.
    address public immutable SCREEN_MODULE;
    /// @notice VaultAdminModule (wiring, risk parameters, successor backing) reached by
    /// delegatecall; deployed by this constructor like SCREEN_MODULE.
    address public immutable ADMIN_MODULE;

    constructor(address riskModule) {
        if (riskModule == address(0)) revert ZeroAddress();
        RISK_MODULE = riskModule;
        SCREEN_MODULE = address(new VaultScreenModule());
        ADMIN_MODULE = address(new VaultAdminModule());
        _disableInitializers();
    }

    /// @notice Proxy initializer (runs in VaultAdminModule): `usdc` must report 6 decimals;
    /// `admin` gets DEFAULT_ADMIN_ROLE.
    function initialize(address, address) external {
        _delegate(ADMIN_MODULE);
    }

    // ------------------------------------------------------------------ balances

    /// @inheritdoc ICoreVault
    function deposit(uint256 amount) external whenNotPaused {
        if (amount == 0) revert ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        IERC20(s.collateral).safeTransferFrom(msg.sender, address(this), amount);
        IndexLib.ensureUserTracked(s, msg.sender);
        LedgerLib.credit(s, msg.sender, amount);
        emit Deposited(msg.sender, amount);
    }

    /// @inheritdoc ICoreVault
    function withdraw(uint256 amount) external whenNotPaused {
        if (amount == 0) revert ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        uint256 available = _withdrawable(s, msg.sender);
        if (amount > available) revert InsufficientFreeCollateral(msg.sender, amount, available);
        IERC20 token = IERC20(s.collateral);
        uint256 held = token.balanceOf(address(this));
        if (amount > held) revert InsufficientVaultLiquidity(amount, held);
        // amount <= free collateral <= balance.
        LedgerLib.debit(s, msg.sender, amount);
        RiskGroupLib.touch(s, msg.sender, bytes32(0));
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ICoreVault
    function creditExternal(address, uint256) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function debitExternal(address, uint256) external {
        _delegate(ADMIN_MODULE);
    }

    // ------------------------------------------------------------------ successor backing

    /// @inheritdoc ICoreVault
    function transferToSuccessor(address, uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function receiveBacking(uint256) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function convertExternalCredit(address[] calldata, uint256[] calldata) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function fundInsurance(bytes32, uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function topUpPositionMargin(bytes32, uint256) external {
        _delegateToRiskModule();
    }

    // ------------------------------------------------------------------ order-book hooks

    /// @inheritdoc ICoreVault
    function reserveMargin(address user, bytes32 marketId, uint256 amount) external whenNotPaused {
        _marketForOrderBook(marketId);
        if (user == address(0)) revert ZeroAddress();
        VaultStorage.Layout storage s = VaultStorage.load();
        uint256 free = MarginLib.freeFloored(s, user);
        if (amount > free) revert InsufficientFreeCollateral(user, amount, free);
        VaultStorage.Account storage a = s.accounts[user];
        a.reservedMargin = (uint256(a.reservedMargin) + amount).toUint120();
    }

    /// @inheritdoc ICoreVault
    /// @dev No pause, market or role check: see ICoreVault. Registration is the access rule.
    function releaseMargin(address user, uint256 amount) external {
        VaultStorage.Layout storage s = VaultStorage.load();
        if (s.orderBookIndex[msg.sender] == 0) revert OrderBookNotRegistered(msg.sender);
        LedgerLib.unreserve(s, user, amount);
    }

    /// @inheritdoc ICoreVault
    function settleFill(Fill calldata fill) external whenNotPaused {
        bytes32 marketId = fill.marketId;
        uint256 imBps = _marketForOrderBook(marketId).initialMarginBps;
        if (fill.size == 0 || fill.price == 0) revert ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        int256 takerDelta = fill.size.toInt256();
        if (!fill.takerIsBuy) takerDelta = -takerDelta;

        if (fill.makerRelease != 0) LedgerLib.unreserve(s, fill.maker, fill.makerRelease);
        (int256 makerPnl, ) = LedgerLib.trade(s, marketId, imBps, fill.maker, -takerDelta, fill.price);
        LedgerLib.bookPnlForced(s, marketId, fill.maker, makerPnl);
        uint256 fees = LedgerLib.takeFee(s, marketId, fill.maker, fill.makerFee, false);
        RiskGroupLib.touch(s, fill.maker, marketId);

        _takerSide(s, marketId, imBps, fill.taker, takerDelta, fill.price, fill.takerFee, fees);
    }

    /// @inheritdoc ICoreVault
    function updatePositionWithMargin(
        address user,
        bytes32 marketId,
        int256 sizeDelta,
        uint256 price,
        uint256 fee
    ) external whenNotPaused returns (int256 realizedPnl) {
        uint256 imBps = _marketForOrderBook(marketId).initialMarginBps;
        if (sizeDelta == 0 || price == 0) revert ZeroAmount();
        return _takerSide(VaultStorage.load(), marketId, imBps, user, sizeDelta, price, fee, 0);
    }

    /// @dev The checked side of a trade: a loss beyond the balance or a fee it cannot pay reverts,
    /// and when exposure grows the user must keep free collateral >= 0 (initial margin).
    function _takerSide(
        VaultStorage.Layout storage s,
        bytes32 marketId,
        uint256 imBps,
        address user,
        int256 delta,
        uint256 price,
        uint256 fee,
        uint256 feesSoFar
    ) internal returns (int256 pnl) {
        bool grew;
        (pnl, grew) = LedgerLib.trade(s, marketId, imBps, user, delta, price);
        if (pnl < 0) {
            uint256 bal = s.accounts[user].balance;
            if (LedgerLib.bookPnl(s, user, pnl) != 0) revert InsufficientMargin(user, marketId, uint256(-pnl), bal);
        } else if (pnl > 0) {
            LedgerLib.credit(s, user, uint256(pnl));
        }
        feesSoFar += LedgerLib.takeFee(s, marketId, user, fee, true);
        if (grew) MarginLib.requireInitialMargin(s, user, marketId);
        LedgerLib.collectFees(s, marketId, feesSoFar);
        RiskGroupLib.touch(s, user, marketId);
    }

    // ------------------------------------------------------------------ risk module (delegatecall)

    /// @inheritdoc ICoreVault
    function updatePositionWithLiquidation(address, bytes32, int256, uint256) external returns (int256, uint256) {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function settleLiquidationFill(
        bytes32,
        address,
        address,
        uint256,
        uint256,
        uint256,
        uint256
    ) external returns (uint256) {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function chargeLiquidationPenalty(bytes32, address, uint256, address) external returns (uint256) {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function settleLiquidation(
        bytes32,
        address,
        address,
        LiquidationFill[] calldata
    ) external returns (uint256, uint256, uint256) {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function screenLiquidatable(
        bytes32,
        uint256,
        uint256,
        uint256,
        uint256
    ) external returns (address[] memory, uint256) {
        _delegate(SCREEN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function pokeScreen(
        bytes32,
        uint256,
        uint256,
        uint256,
        uint256
    ) external returns (address[] memory, uint256, uint256, uint256) {
        _delegate(SCREEN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function payMakerRewards(bytes32, address[] calldata, uint256[] calldata) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function adlFill(bytes32, address, address, uint256) external returns (uint256) {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function socializeDeficit(bytes32, address[] calldata) external returns (uint256) {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function settleMarket(bytes32, uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function processSettlement(bytes32, uint256) external returns (bool) {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function sweepFees(bytes32) external returns (uint256) {
        _delegateToRiskModule();
    }

    /// @dev Forward the call unchanged; the module checks roles and pause itself against the
    /// proxy's storage. Never returns to Solidity.
    function _delegateToRiskModule() private {
        _delegate(RISK_MODULE);
    }

    /// @dev Forward the call unchanged to `module` (a vault module); never returns to Solidity.
    function _delegate(address module) private {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), module, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    // ------------------------------------------------------------------ marks

    /// @inheritdoc ICoreVault
    function updateMarkPrice(bytes32 marketId, uint256 price) external whenNotPaused {
        VaultStorage.Layout storage s = VaultStorage.load();
        VaultStorage.Market storage m = s.markets[marketId];
        if (m.status == VaultStorage.STATUS_NONE) revert UnknownMarket(marketId);
        bool isBook = msg.sender == m.orderBook && hasRole(ORDERBOOK_ROLE, msg.sender);
        if (!isBook && !hasRole(SETTLEMENT_ROLE, msg.sender)) revert NotMarkUpdater(marketId, msg.sender);
        if (m.status != VaultStorage.STATUS_ACTIVE) revert MarketIsSettled(marketId);
        if (price == 0) revert ZeroAmount();
        uint256 old = m.markPrice;
        _checkMove(s, marketId, old, price);
        m.markPrice = price.toUint128();
        emit MarkPriceUpdated(marketId, old, price, msg.sender);
    }

    // ------------------------------------------------------------------ wiring and admin (risk module)

    /// @inheritdoc ICoreVault
    function registerOrderBook(address) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function assignMarketToOrderBook(bytes32, address) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function setMarketRiskParams(bytes32, uint256) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function setMmrParams(uint256) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function setLiquidationParams(uint256, uint256, uint256) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function setFeeParams(address, uint256) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function setMaxMarkMove(uint256) external {
        _delegate(ADMIN_MODULE);
    }

    /// @inheritdoc ICoreVault
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ICoreVault
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
