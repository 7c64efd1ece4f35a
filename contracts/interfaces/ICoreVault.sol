// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ICoreVault
/// @notice The collateral and position ledger of Dexetra. Every order book, the CollateralHub and
/// the FuturesMarketFactory talk to it; the runbook checks and re-wires it.
/// @dev Units everywhere: collateral and prices in USDC (6 decimals); position sizes 18 decimals.
/// `notional = |size| * price / 1e18` is in USDC. `marketId` is a bytes32 chosen by the factory.
/// Margin (cross margin over a user's markets):
///   initial margin      IM  = notional * initialMarginBps(market) / 10_000   (= 1 / maxLeverage)
///   maintenance margin  MM  = IM * mmrOfImrBps / 10_000, and mmrOfImrBps < 10_000 always,
///                             so MM < IM at every leverage: no position is liquidatable at birth.
///   equity                  = balance + sum of unrealized PnL at the mark
///   free collateral         = balance + sum(min(uPnL, 0)) - locked margin - reserved margin
///   liquidatable(user, m)   = user has a position in m and equity < total MM (with mark of m
///                             replaced by the supplied price for the view).
interface ICoreVault {
    // ------------------------------------------------------------------ types
    /// @notice A position in one market. `size` > 0 long, < 0 short.
    struct Position {
        bytes32 marketId;
        int256 size;
        uint256 entryPrice;
        uint256 marginLocked;
    }

    /// @notice One match between a resting maker order and a taker, applied to both sides in one call.
    /// @param makerRelease the part of the maker's reserved margin this fill frees (the book keeps
    ///        each order's reservation and releases it as the order fills; see releaseMargin).
    struct Fill {
        bytes32 marketId;
        address maker;
        address taker;
        bool takerIsBuy;
        uint256 size;
        uint256 price;
        uint256 makerRelease;
        uint256 makerFee;
        uint256 takerFee;
    }

    /// @notice One match of a liquidation against a resting maker order (see settleLiquidation).
    struct LiquidationFill {
        address maker;
        uint256 makerRelease; // the maker order's reservation share released by this fill (computed by the book)
        uint256 size; // absolute size closed
        uint256 price;
        uint256 makerFee;
    }

    // ------------------------------------------------------------------ events
    event Deposited(address indexed user, uint256 amount);
    event Withdrawn(address indexed user, uint256 amount);
    event ExternalCredited(address indexed user, uint256 amount, address indexed creditor);
    event ExternalDebited(address indexed user, uint256 amount, address indexed creditor);
    event UserTracked(address indexed user, uint256 index);
    event PositionUpdated(
        address indexed user,
        bytes32 indexed marketId,
        int256 oldSize,
        int256 newSize,
        uint256 entryPrice,
        uint256 tradePrice,
        int256 realizedPnl
    );
    event MarginLocked(address indexed user, bytes32 indexed marketId, uint256 amount, uint256 totalLocked);
    event MarginReleased(address indexed user, bytes32 indexed marketId, uint256 amount, uint256 totalLocked);
    event FeeCharged(address indexed user, bytes32 indexed marketId, uint256 amount, address indexed recipient);
    event LiquidationPenaltyCharged(
        address indexed user,
        bytes32 indexed marketId,
        uint256 penalty,
        uint256 toInsurance,
        uint256 toLiquidator,
        uint256 toMakerPool
    );
    event InsuranceFunded(bytes32 indexed marketId, uint256 amount, uint256 newBalance);
    event InsuranceDrawn(bytes32 indexed marketId, address indexed user, uint256 amount, uint256 newBalance);
    event BadDebtRecorded(bytes32 indexed marketId, address indexed user, uint256 uncovered, uint256 marketDeficit);
    event LossSocialized(bytes32 indexed marketId, address indexed user, uint256 amount, uint256 remainingDeficit);
    event MakerRewardsPaid(bytes32 indexed marketId, address indexed maker, uint256 amount);
    event OrderBookRegistered(address indexed orderBook);
    event MarketAssigned(bytes32 indexed marketId, address indexed orderBook, address indexed previousOrderBook);
    event MarketRiskParamsSet(bytes32 indexed marketId, uint256 initialMarginBps);
    event MmrParamsSet(uint256 mmrOfImrBps);
    event LiquidationParamsSet(uint256 penaltyBps, uint256 insuranceShareBps, uint256 liquidatorShareBps);
    event FeeParamsSet(address protocolFeeRecipient, uint256 protocolShareBps);
    event MarkPriceUpdated(bytes32 indexed marketId, uint256 oldPrice, uint256 newPrice, address indexed by);
    event MaxMarkMoveSet(uint256 maxMarkMoveBps);
    event SettlementStarted(bytes32 indexed marketId, uint256 finalPrice);
    event VaultMarketSettled(bytes32 indexed marketId, uint256 finalPrice, uint256 positionsSettled);

    // ------------------------------------------------------------------ errors
    error InvalidCollateralDecimals(address token, uint8 decimals);
    error ZeroAddress();
    error ZeroAmount();
    error InsufficientFreeCollateral(address user, uint256 requested, uint256 available);
    error InsufficientExternalCredit(address user, uint256 requested, uint256 credited);
    error InsufficientVaultLiquidity(uint256 requested, uint256 available);
    error InsufficientMargin(address user, bytes32 marketId, uint256 required, uint256 available);
    error NotMarketOrderBook(bytes32 marketId, address caller, address expected);
    error UnknownMarket(bytes32 marketId);
    error MarketIsSettled(bytes32 marketId);
    error MarketNotSettling(bytes32 marketId);
    error OrderBookNotRegistered(address orderBook);
    error TooManyMarkets(address user, uint256 max);
    error ReleaseExceedsReserved(address user, uint256 amount, uint256 reserved);
    error NotLiquidatable(address user, bytes32 marketId);
    error LiquidationMustReduce(address user, bytes32 marketId, int256 size, int256 sizeDelta);
    error NotProfitableCounterparty(address candidate, bytes32 marketId);
    error ParamOutOfBounds(string name, uint256 value, uint256 min, uint256 max);
    error MarkMoveTooLarge(bytes32 marketId, uint256 oldPrice, uint256 newPrice, uint256 maxMoveBps);
    error NotMarkUpdater(bytes32 marketId, address caller);
    error RewardExceedsPool(bytes32 marketId, uint256 requested, uint256 available);
    error LengthMismatch(uint256 a, uint256 b);

    // ------------------------------------------------------------------ balances
    /// @notice Pull `amount` USDC from the caller into their balance. Refused while paused.
    function deposit(uint256 amount) external;

    /// @notice Pay out `amount` of the caller's free collateral that is not externally backed.
    /// Reverts `InsufficientFreeCollateral` / `InsufficientVaultLiquidity`. Refused while paused.
    function withdraw(uint256 amount) external;

    /// @notice EXTERNAL_CREDITOR_ROLE: credit collateral held on another chain, no token transfer.
    /// Tracks the user in the known-users list.
    function creditExternal(address user, uint256 amount) external;

    /// @notice EXTERNAL_CREDITOR_ROLE: the way back; obeys the free-collateral rule and is bounded
    /// by the user's outstanding external credit.
    function debitExternal(address user, uint256 amount) external;

    // ------------------------------------------------------------------ order-book hooks
    // Reservations: the vault keeps one total per account (`getReservedMargin`); each book keeps
    // what every one of its resting orders holds and releases exactly that (partial fills through
    // `Fill.makerRelease`, the rest when the order leaves the book).

    /// @notice Reserve `amount` of `user`'s free collateral for a resting order. Only
    /// `marketToOrderBook(marketId)` holding ORDERBOOK_ROLE, market trading, refused while paused.
    function reserveMargin(address user, bytes32 marketId, uint256 amount) external;

    /// @notice Release `amount` of `user`'s reserved margin (reverts `ReleaseExceedsReserved` beyond
    /// it). Any registered order book, also while paused and after settlement: releasing only
    /// lowers the user's requirement, and a book must be able to return the reservations of its
    /// orders whatever happened to its market (settled, reassigned, role revoked).
    function releaseMargin(address user, uint256 amount) external;

    /// @notice Apply one maker/taker match to both positions, release the maker's reservation
    /// share, charge fees. The taker's margin is checked; the maker's was reserved at placement.
    function settleFill(Fill calldata fill) external;

    /// @notice Single-sided position update at `price` (v5 name). Checks initial margin when
    /// exposure grows; charges `fee`.
    function updatePositionWithMargin(
        address user,
        bytes32 marketId,
        int256 sizeDelta,
        uint256 price,
        uint256 fee
    ) external returns (int256 realizedPnl);

    /// @notice Liquidation side of a fill: only reduces an account that is liquidatable at the
    /// current mark; a loss beyond the balance is drawn from insurance, the rest recorded as the
    /// market's deficit for socialization.
    function updatePositionWithLiquidation(
        address user,
        bytes32 marketId,
        int256 sizeDelta,
        uint256 price
    ) external returns (int256 realizedPnl, uint256 badDebt);

    /// @notice One liquidation fill in one call: the liquidated account's side through the
    /// liquidation path (reduce only), the resting maker's side through the normal path.
    /// `size` is the absolute size closed; the maker takes the opposite side of the liquidated position.
    function settleLiquidationFill(
        bytes32 marketId,
        address liquidated,
        address maker,
        uint256 makerRelease,
        uint256 size,
        uint256 price,
        uint256 makerFee
    ) external returns (uint256 badDebt);

    /// @notice Charge the liquidation penalty on `closedNotional` once per liquidated user per
    /// transaction: insurance share, liquidator share, rest escrowed for makers.
    function chargeLiquidationPenalty(
        bytes32 marketId,
        address user,
        uint256 closedNotional,
        address liquidator
    ) external returns (uint256 makerRewardPool);

    /// @notice A whole liquidation step of one account in one call: every fill's maker side
    /// (normal forced path, in order), the liquidated side once (reduce only, realized PnL summed
    /// per fill price, one position/balance write, loss waterfall on the net), then the penalty on
    /// the closed notional (once per user per transaction; skipped when already charged). Each
    /// price must be inside the mark band. Returns the uncovered loss, the maker share of the
    /// penalty and the liquidator share. Both shares are escrowed in the market's maker-reward
    /// escrow (nothing is credited to `liquidator` here: the book records what each keeper is
    /// owed and pays it later through payMakerRewards), so a liquidation never writes the keeper's
    /// balance or known-user entry.
    function settleLiquidation(
        bytes32 marketId,
        address user,
        address liquidator,
        LiquidationFill[] calldata fills
    ) external returns (uint256 badDebt, uint256 makerRewardPool, uint256 liquidatorReward);

    /// @notice Batched liquidation screen for an order book's poke: scan the market index from
    /// `offset` (at most `limit` entries, capped at MAX_PAGE_SIZE) and return the accounts
    /// liquidatable at `markPrice` (exactly `isLiquidatable`), stopping once `maxOut` are found;
    /// `scanned` is how many index entries were read. Reads state only.
    function screenLiquidatable(
        bytes32 marketId,
        uint256 offset,
        uint256 limit,
        uint256 markPrice,
        uint256 maxOut
    ) external returns (address[] memory users, uint256 scanned);

    /// @notice The order book's poke screen: like `screenLiquidatable` over entries from
    /// `offset` (0 when past the end), but every group of index entries whose safe-price summary
    /// proves it healthy at `markPrice` is skipped unread, and each group screened whole gets its
    /// summary rewritten exactly. The page ends at a group boundary when that leaves entries to
    /// read. Caller: the market's order book. Returns the hits, the page start actually used, the
    /// entries passed (read or skipped) and the index length.
    function pokeScreen(
        bytes32 marketId,
        uint256 offset,
        uint256 limit,
        uint256 markPrice,
        uint256 maxOut
    ) external returns (address[] memory users, uint256 start, uint256 scanned, uint256 count);

    /// @notice Safe-price summary of index entries [group * 20, group * 20 + 20) of `marketId`:
    /// when `valid`, `k` equals initialMarginBps * mmrOfImrBps and lo <= mark <= hi, no account of
    /// the group is liquidatable at `mark` except perhaps the entries flagged in `crossMask` (bit j
    /// = entry group * 20 + j, held by an account in several markets). `provenAtMark`: that holds
    /// at `markPrice` (the market's stored mark when 0), so a poke at that mark checks only the
    /// flagged entries.
    function getRiskGroup(
        bytes32 marketId,
        uint256 group,
        uint256 markPrice
    ) external view returns (bool valid, uint256 lo, uint256 hi, uint256 k, uint256 crossMask, bool provenAtMark);

    /// @notice Pay makers (and, for a claimed liquidator reward, the keeper) out of the market's
    /// maker-reward escrow; never more than escrowed. Caller: the market's order book.
    function payMakerRewards(bytes32 marketId, address[] calldata makers, uint256[] calldata amounts) external;

    /// @notice ADL: close `size` of a bankrupt account against `counterparty` (opposite side, in
    /// profit at the mark) at the account's bankruptcy price. Returns the size closed.
    function adlFill(
        bytes32 marketId,
        address bankrupt,
        address counterparty,
        uint256 size
    ) external returns (uint256 closed);

    /// @notice Recover the market's deficit from profitable positions in `candidates` (bounded by
    /// the caller), never from an account without a position in the market.
    function socializeDeficit(bytes32 marketId, address[] calldata candidates) external returns (uint256 recovered);

    // ------------------------------------------------------------------ marks and settlement
    /// @notice That market's order book or SETTLEMENT_ROLE; bounded by maxMarkMoveBps vs the previous mark.
    function updateMarkPrice(bytes32 marketId, uint256 price) external;

    /// @notice SETTLEMENT_ROLE: freeze the market at `finalPrice` (bounded vs the mark) and settle
    /// the first page; `processSettlement` continues until `VaultMarketSettled`.
    function settleMarket(bytes32 marketId, uint256 finalPrice) external;

    function processSettlement(bytes32 marketId, uint256 maxPositions) external returns (bool done);

    // ------------------------------------------------------------------ wiring and admin
    function registerOrderBook(address orderBook) external;
    function assignMarketToOrderBook(bytes32 marketId, address orderBook) external;
    function setMarketRiskParams(bytes32 marketId, uint256 initialMarginBps) external;
    function setMmrParams(uint256 mmrOfImrBps) external;
    function setLiquidationParams(uint256 penaltyBps, uint256 insuranceShareBps, uint256 liquidatorShareBps) external;
    function setFeeParams(address protocolFeeRecipient, uint256 protocolShareBps) external;
    function setMaxMarkMove(uint256 maxMarkMoveBps) external;
    /// @notice Anyone may add USDC to a market's insurance fund.
    function fundInsurance(bytes32 marketId, uint256 amount) external;
    function topUpPositionMargin(bytes32 marketId, uint256 amount) external;
    function pause() external;
    function unpause() external;

    // ------------------------------------------------------------------ views
    function collateralToken() external view returns (address);
    function balanceOf(address user) external view returns (uint256);
    function externalCreditOf(address user) external view returns (uint256);
    function getAvailableCollateral(address user) external view returns (uint256);
    function getEquity(address user) external view returns (int256);
    function getMaintenanceRequirement(address user) external view returns (uint256);
    function getReservedMargin(address user) external view returns (uint256);
    function getLockedMargin(address user) external view returns (uint256);
    function getPosition(address user, bytes32 marketId) external view returns (Position memory);
    function getUserPositions(address user) external view returns (Position[] memory);
    function getLiquidationPrice(address user, bytes32 marketId) external view returns (uint256);
    function getBankruptcyPrice(address user, bytes32 marketId) external view returns (uint256);
    function isLiquidatable(address user, bytes32 marketId, uint256 markPrice) external view returns (bool);
    function getMarkPrice(bytes32 marketId) external view returns (uint256);
    function marketToOrderBook(bytes32 marketId) external view returns (address);
    function isOrderBookRegistered(address orderBook) external view returns (bool);
    function getOrderBooksCount() external view returns (uint256);
    function getOrderBooksPage(uint256 offset, uint256 limit) external view returns (address[] memory);
    function getMarketsCount() external view returns (uint256);
    function getMarketsPage(
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory marketIds, address[] memory orderBooks);
    function getUsersWithPositionsInMarketCount(bytes32 marketId) external view returns (uint256);
    function getUsersWithPositionsInMarketPage(
        bytes32 marketId,
        uint256 offset,
        uint256 limit
    ) external view returns (address[] memory users);
    function getKnownUsersCount() external view returns (uint256);
    function getKnownUsersPage(uint256 offset, uint256 limit) external view returns (address[] memory users);
    function insuranceFund(bytes32 marketId) external view returns (uint256);
    function marketDeficit(bytes32 marketId) external view returns (uint256);
    function makerRewardEscrow(bytes32 marketId) external view returns (uint256);
    function totalExternalCredits() external view returns (uint256);
    function isMarketSettled(bytes32 marketId) external view returns (bool);

    // ------------------------------------------------------------------ additions (vault issue 2)
    // Extra views for the runbook/dashboard and the errors they need.

    struct MarketInfo {
        address orderBook;
        uint8 status; // 0 unknown, 1 trading, 2 settling, 3 settled
        uint256 initialMarginBps;
        uint256 markPrice;
        uint256 finalPrice;
        uint256 settledPositions;
        uint256 openPositions;
    }

    struct RiskParams {
        uint256 mmrOfImrBps;
        uint256 penaltyBps;
        uint256 insuranceShareBps;
        uint256 liquidatorShareBps;
        uint256 protocolShareBps;
        uint256 maxMarkMoveBps;
        address protocolFeeRecipient;
    }

    error NoPosition(address user, bytes32 marketId);
    error PenaltyAlreadyCharged(address user, bytes32 marketId);
    error NotDelegated();
    /// @notice A liquidation fill must execute within maxMarkMoveBps of the stored mark.
    error LiquidationPriceOutOfBand(bytes32 marketId, uint256 price, uint256 mark, uint256 maxMoveBps);

    /// @notice An ADL step closed `size` of `bankrupt` against `counterparty` at `price` (bankruptcy price).
    event AdlExecuted(
        bytes32 indexed marketId,
        address indexed bankrupt,
        address indexed counterparty,
        uint256 size,
        uint256 price
    );

    /// @notice Fees a fill charges go to the market's fee pool (FeeCharged names the vault as
    /// recipient); anyone may sweep the pool: protocolShareBps to the protocol fee recipient's vault
    /// balance, the rest to the market's insurance fund. Refused while paused.
    function sweepFees(bytes32 marketId) external returns (uint256 swept);

    event FeesSwept(bytes32 indexed marketId, uint256 toProtocol, uint256 toInsurance);

    function feePool(bytes32 marketId) external view returns (uint256);

    /// @notice What `withdraw` would pay now: free collateral capped by the token-backed balance.
    function getWithdrawable(address user) external view returns (uint256);
    /// @notice Entry price at full precision (USDC price * 1e12).
    function getEntryPriceX18(address user, bytes32 marketId) external view returns (uint256);
    function getMarketInfo(bytes32 marketId) external view returns (MarketInfo memory);
    function getRiskParams() external view returns (RiskParams memory);
    function userInMarket(address user, bytes32 marketId) external view returns (bool);
    function getUserMarkets(address user) external view returns (bytes32[] memory);

    // ------------------------------------------------------------------ successor backing (redeploy)
    // A retired (paused) vault hands its USDC to its successor; the successor books it as
    // unallocated backing and the admin converts migrated external credit into token-backed balance
    // against it, never beyond it (docs/vault.md "Moving the money to a successor").

    /// @notice The retired vault moved `amount` USDC to `successor` (which booked it as backing).
    event TransferredToSuccessor(address indexed successor, uint256 amount);
    /// @notice `from` paid `amount` USDC in as unallocated backing; `unallocated` is the new total.
    event BackingReceived(address indexed from, uint256 amount, uint256 unallocated);
    /// @notice `amount` of `user`'s external credit became token-backed; `unallocated` backing left.
    event ExternalCreditBacked(address indexed user, uint256 amount, uint256 unallocated);

    error InvalidSuccessor(address successor);
    error SuccessorDidNotPull(address successor, uint256 amount, uint256 allowanceLeft);
    error InsufficientBacking(uint256 requested, uint256 available);

    /// @notice DEFAULT_ADMIN_ROLE, only while paused: move `amount` of this vault's USDC to
    /// `successor` (a contract, not this vault) through its `receiveBacking`. The retired vault's
    /// ledger stays as it was (frozen); it no longer holds the tokens.
    function transferToSuccessor(address successor, uint256 amount) external;

    /// @notice Anyone: pull `amount` USDC from the caller and book it as unallocated backing (it
    /// owes nobody until convertExternalCredit assigns it). Used by a retired predecessor.
    function receiveBacking(uint256 amount) external;

    /// @notice DEFAULT_ADMIN_ROLE: turn `amounts[i]` of `users[i]`'s external credit into
    /// token-backed balance (balance unchanged; externalCredit, totalExternalCredits and the
    /// unallocated backing down by the amount). Reverts beyond the user's credit or the backing.
    function convertExternalCredit(address[] calldata users, uint256[] calldata amounts) external;

    /// @notice USDC received as backing and not yet assigned to an account.
    function unallocatedBacking() external view returns (uint256);

    /// @notice Total external credit of `user` converted to token-backed so far.
    function backedCreditOf(address user) external view returns (uint256);
}
