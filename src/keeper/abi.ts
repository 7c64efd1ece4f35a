// The few functions and events the keeper, monitor and dashboard call, as human-readable ABI
// (ICoreVault is the shared interface; the order-book names are the v5 ones issue 3 keeps).
import { parseAbi } from "viem";

export const vaultAbi = parseAbi([
  "function getMarketsCount() view returns (uint256)",
  "function getMarketsPage(uint256 offset, uint256 limit) view returns (bytes32[] marketIds, address[] orderBooks)",
  "function getUsersWithPositionsInMarketCount(bytes32 marketId) view returns (uint256)",
  "function getUsersWithPositionsInMarketPage(bytes32 marketId, uint256 offset, uint256 limit) view returns (address[] users)",
  "function isLiquidatable(address user, bytes32 marketId, uint256 markPrice) view returns (bool)",
  "function getMarkPrice(bytes32 marketId) view returns (uint256)",
  "function getEquity(address user) view returns (int256)",
  "function getMaintenanceRequirement(address user) view returns (uint256)",
  "function getPosition(address user, bytes32 marketId) view returns ((bytes32 marketId, int256 size, uint256 entryPrice, uint256 marginLocked))",
  "function marketToOrderBook(bytes32 marketId) view returns (address)",
  "function collateralToken() view returns (address)",
  "function getKnownUsersCount() view returns (uint256)",
  "function getKnownUsersPage(uint256 offset, uint256 limit) view returns (address[] users)",
  "function balanceOf(address user) view returns (uint256)",
  "function totalExternalCredits() view returns (uint256)",
  "function makerRewardEscrow(bytes32 marketId) view returns (uint256)",
  "function insuranceFund(bytes32 marketId) view returns (uint256)",
  "function marketDeficit(bytes32 marketId) view returns (uint256)",
  "function paused() view returns (bool)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function getRiskGroup(bytes32 marketId, uint256 group, uint256 markPrice) view returns (bool valid, uint256 lo, uint256 hi, uint256 k, uint256 crossMask, bool provenAtMark)",
]);

export const orderBookAbi = parseAbi([
  "function pokeLiquidations() returns (uint256 liquidated)",
  "function liquidateUser(address user) returns (uint256 closedAmount)",
  "function settleMakerRewards(address liquidatedUser, address[] makers, uint256[] amounts)",
  "function socializeDeficit(address[] candidates) returns (uint256 recovered)",
  "function calculateMarkPrice() view returns (uint256)",
  "function bestBid() view returns (uint256)",
  "function bestAsk() view returns (uint256)",
  "function getTopLevels(bool isBuy, uint256 n) view returns (uint256[] prices, uint256[] totals)",
  "function marketStatic() view returns (address vault, bytes32 marketId, address feeRecipient, uint256 tickSize, uint256 lotSize, uint256 minNotional)",
  "function rewardKeeper() view returns (address)",
  "function makerRewardPending() view returns (uint256)",
  "function liquidatorRewardOwed(address liquidator) view returns (uint256)",
  "function claimLiquidatorReward() returns (uint256 amount)",
  "function getLiquidationConfig() view returns (uint256 maxPage, uint256 maxUsersPerTx, uint256 maxLevels, uint256 maxAdlPerTx, uint256 liqPriceBoundBps, uint256 liqNotionalCap, uint256 lastCheckedIndex)",
  "event MakerRewardAccrued(address indexed liquidatedUser, uint256 rewardPool, uint256 totalScaled)",
  "event LiquidationFill(address indexed liquidatedUser, address indexed maker, uint256 indexed makerOrderId, uint256 price, uint256 amount)",
  "event UserLiquidated(address indexed user, address indexed liquidator, uint256 closedAmount, uint256 closedNotional, uint256 badDebt)",
  "event LiquidationsPoked(uint256 startIndex, uint256 nextIndex, uint256 count, uint256 liquidated)",
  "event LiquidatorRewardAccrued(address indexed liquidator, address indexed liquidatedUser, uint256 amount, uint256 owed)",
  "event LiquidatorRewardClaimed(address indexed liquidator, uint256 amount)",
]);

export const erc20Abi = parseAbi(["function balanceOf(address) view returns (uint256)"]);
