// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBErrors} from "./IOBErrors.sol";

/// @title IOBLiquidation
/// @notice Small-block liquidations of one market (spec: "Make Liquidations & ADL small-block
/// friendly"). Every entry point is permissionless except `settleMakerRewards`; none takes a price.
/// Per liquidated user per transaction: at most `maxLevels` price levels and `liqNotionalCap` USDC
/// are crossed, never at a price worse than mark -/+ `liqPriceBoundBps`; the rest stays for the
/// next poke. The penalty is charged once per user per transaction through the vault; the maker
/// share is escrowed there and paid later by `settleMakerRewards` (hot path O(1) in makers), the
/// liquidator share is escrowed with it, recorded per keeper here and claimed by the keeper with
/// `claimLiquidatorReward` (a liquidation never writes the keeper's vault balance).
interface IOBLiquidation is IOBErrors {
    /// @notice One liquidation match against a resting maker order (the reward basis per maker).
    event LiquidationFill(
        address indexed liquidatedUser,
        address indexed maker,
        uint256 indexed makerOrderId,
        uint256 price,
        uint256 amount
    );
    /// @notice A user was (partly) liquidated in this transaction.
    event UserLiquidated(
        address indexed user,
        address indexed liquidator,
        uint256 closedAmount,
        uint256 closedNotional,
        uint256 badDebt
    );
    /// @notice Spec name: maker share of the penalty escrowed; `totalScaled` = sum of the makers'
    /// filled notional (USDC 6 decimals) in this liquidation, each maker's share is
    /// rewardPool * makerNotional / totalScaled from the LiquidationFill events.
    event MakerRewardAccrued(address indexed liquidatedUser, uint256 rewardPool, uint256 totalScaled);
    event MakerRewardsSettled(address indexed liquidatedUser, uint256 paid, uint256 remainingPending);
    /// @notice The liquidator share of `liquidatedUser`'s penalty, escrowed in the vault, is owed
    /// to `liquidator` (the keeper that sent the transaction); `owed` = its claimable total now.
    event LiquidatorRewardAccrued(
        address indexed liquidator,
        address indexed liquidatedUser,
        uint256 amount,
        uint256 owed
    );
    /// @notice `liquidator` claimed `amount` (all it was owed) into its vault balance.
    event LiquidatorRewardClaimed(address indexed liquidator, uint256 amount);
    /// @notice One poke: the page scanned [startIndex, nextIndex) of `count` users.
    event LiquidationsPoked(uint256 startIndex, uint256 nextIndex, uint256 count, uint256 liquidated);
    /// @notice The vault refused a liquidation fill against `makerOrderId` (0: the penalty charge);
    /// this user's liquidation stopped there, the poke went on.
    event LiquidationFillFailed(address indexed user, uint256 indexed makerOrderId);
    /// @notice isLiquidatable reverted for `user` (skipped, not fatal).
    event LiquidationCheckFailed(address indexed user);
    /// @notice The vault refused the mark push (trading and liquidation continue).
    event MarkPushFailed(uint256 price);
    error OnlySelf(address caller);

    event DeleverageExecuted(address indexed bankrupt, address indexed counterparty, uint256 amount);

    /// @notice Scan one page of `maxPage` users from `lastCheckedIndex` (wrapping) and liquidate at
    /// most `maxUsersPerTx`. Returns at once when the book is empty on both sides.
    function pokeLiquidations() external returns (uint256 liquidated);

    /// @notice One user's liquidation inside a poke, run by the diamond on itself so a vault
    /// refusal reverts only this step (book changes included); `liquidator` is the poke's sender,
    /// owed the liquidator share. Reverts `OnlySelf` for any other caller.
    function pokeStep(address user, uint256 mark, address liquidator) external returns (uint256 closedAmount);

    /// @notice Targeted liquidation of one account (same bounds); reverts `UserNotLiquidatable`
    /// when it is healthy (the vault's own check in settleLiquidation, or a view check when the
    /// book has nothing to fill inside the bound).
    function liquidateUser(address user) external returns (uint256 closedAmount);

    /// @notice v5 alias of liquidateUser.
    function liquidateDirect(address user) external returns (uint256 closedAmount);

    /// @notice Pay the makers of `liquidatedUser`'s liquidation out of the market's accrued,
    /// unsettled maker rewards (never more than accrued, never twice: paid amounts leave the
    /// pending total). Caller: the diamond owner or the owner-set reward keeper, which computes
    /// the split from MakerRewardAccrued / LiquidationFill events.
    function settleMakerRewards(address liquidatedUser, address[] calldata makers, uint256[] calldata amounts) external;

    /// @notice Pay the caller everything it is owed as liquidator (LiquidatorRewardAccrued) into
    /// its vault balance, out of the market's escrow. Owed drops to zero before the vault pays, so
    /// nothing is paid twice; reverts `NoLiquidatorReward` when nothing is owed.
    function claimLiquidatorReward() external returns (uint256 amount);

    /// @notice What `liquidator` can claim now with claimLiquidatorReward (USDC, 6 decimals).
    function liquidatorRewardOwed(address liquidator) external view returns (uint256);

    /// @notice ADL for a liquidatable account the book cannot take within the price bound:
    /// close against `candidates` (opposite side, in profit, ranked by unrealized PnL descending,
    /// verified on chain) at the bankruptcy price through `CoreVault.adlFill`; at most `maxAdlPerTx`.
    function deleverage(address user, address[] calldata candidates) external returns (uint256 closedAmount);

    /// @notice Recover the market's recorded deficit from `candidates` through the vault (bounded).
    function socializeDeficit(address[] calldata candidates) external returns (uint256 recovered);
}
