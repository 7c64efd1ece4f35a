// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICoreVault} from "../interfaces/ICoreVault.sol";
import {VaultStorage} from "./storage/VaultStorage.sol";
import {LedgerLib} from "./libraries/LedgerLib.sol";
import {MarginLib} from "./libraries/MarginLib.sol";
import {IndexLib} from "./libraries/IndexLib.sol";
import {VaultViews} from "./VaultViews.sol";

/// @title CoreVault
/// @notice Collateral and position ledger behind an ERC-1967 UUPS proxy. Balances, the order-book
/// fill path, marks, wiring and views live here; liquidation, ADL, socialization and settlement run
/// in VaultRiskModule through delegatecall (same ERC-7201 namespaces, no storage of its own).
contract CoreVault is ICoreVault, VaultViews, UUPSUpgradeable {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice VaultRiskModule reached by delegatecall; fixed per implementation (an upgrade swaps both).
    address public immutable RISK_MODULE;

    constructor(address riskModule) {
        if (riskModule == address(0)) revert ZeroAddress();
        RISK_MODULE = riskModule;
        _disableInitializers();
    }

    /// @notice Proxy initializer: `usdc` must report 6 decimals; `admin` gets DEFAULT_ADMIN_ROLE.
    function initialize(address usdc, address admin) external initializer {
        if (usdc == address(0) || admin == address(0)) revert ZeroAddress();
        uint8 dec = IERC20Metadata(usdc).decimals();
        if (dec != 6) revert InvalidCollateralDecimals(usdc, dec);
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
        emit MmrParamsSet(5000);
        emit LiquidationParamsSet(250, 5000, 2000);
        emit FeeParamsSet(admin, 5000);
        emit MaxMarkMoveSet(1000);
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
        VaultStorage.Account storage a = s.accounts[msg.sender];
        // amount <= free collateral <= balance.
        a.balance = uint128(a.balance - amount);
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ICoreVault
    function creditExternal(address user, uint256 amount) external onlyRole(EXTERNAL_CREDITOR_ROLE) whenNotPaused {
        if (user == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        IndexLib.ensureUserTracked(s, user);
        VaultStorage.Account storage a = s.accounts[user];
        a.balance = (uint256(a.balance) + amount).toUint128();
        a.externalCredit = (uint256(a.externalCredit) + amount).toUint128();
        s.totalExternalCredits += amount;
        emit ExternalCredited(user, amount, msg.sender);
    }

    /// @inheritdoc ICoreVault
    function debitExternal(address user, uint256 amount) external onlyRole(EXTERNAL_CREDITOR_ROLE) whenNotPaused {
        if (amount == 0) revert ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        VaultStorage.Account storage a = s.accounts[user];
        uint256 credited = a.externalCredit;
        if (amount > credited) revert InsufficientExternalCredit(user, amount, credited);
        uint256 free = _free(s, user);
        if (amount > free) revert InsufficientFreeCollateral(user, amount, free);
        // amount <= free <= balance and amount <= credited <= totalExternalCredits.
        a.balance = uint128(a.balance - amount);
        a.externalCredit = uint128(credited - amount);
        s.totalExternalCredits -= amount;
        emit ExternalDebited(user, amount, msg.sender);
    }

    // ------------------------------------------------------------------ successor backing

    /// @inheritdoc ICoreVault
    function transferToSuccessor(address, uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    /// @dev Open to anyone: it only ever adds tokens, and books exactly what it pulled.
    function receiveBacking(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        VaultStorage.Layout storage s = VaultStorage.load();
        IERC20(s.collateral).safeTransferFrom(msg.sender, address(this), amount);
        uint256 unallocated = s.unallocatedBacking + amount;
        s.unallocatedBacking = unallocated;
        emit BackingReceived(msg.sender, amount, unallocated);
    }

    /// @inheritdoc ICoreVault
    function convertExternalCredit(
        address[] calldata users,
        uint256[] calldata amounts
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (users.length != amounts.length) revert LengthMismatch(users.length, amounts.length);
        VaultStorage.Layout storage s = VaultStorage.load();
        uint256 backing = s.unallocatedBacking;
        uint256 total;
        for (uint256 i; i < users.length; ++i) {
            address user = users[i];
            uint256 amount = amounts[i];
            if (amount == 0) revert ZeroAmount();
            if (amount > backing) revert InsufficientBacking(amount, backing);
            VaultStorage.Account storage a = s.accounts[user];
            uint256 credited = a.externalCredit;
            if (amount > credited) revert InsufficientExternalCredit(user, amount, credited);
            // amount <= credited <= totalExternalCredits and amount <= backing.
            a.externalCredit = uint128(credited - amount);
            backing -= amount;
            total += amount;
            s.backedCredit[user] += amount;
            emit ExternalCreditBacked(user, amount, backing);
        }
        s.unallocatedBacking = backing;
        s.totalExternalCredits -= total;
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
        uint256 free = _free(s, user);
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
        _delegateToRiskModule();
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
        address module = RISK_MODULE;
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
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function assignMarketToOrderBook(bytes32, address) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function setMarketRiskParams(bytes32, uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function setMmrParams(uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function setLiquidationParams(uint256, uint256, uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function setFeeParams(address, uint256) external {
        _delegateToRiskModule();
    }

    /// @inheritdoc ICoreVault
    function setMaxMarkMove(uint256) external {
        _delegateToRiskModule();
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
