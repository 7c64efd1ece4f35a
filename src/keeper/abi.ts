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
  "function totalExternalCredits() view returns (uint256)",
  "function makerRewardEscrow(bytes32 marketId) view returns (uint256)",
  "function insuranceFund(bytes32 marketId) view returns (uint256)",
  "function paused() view returns (bool)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
]);

export const orderBookAbi = parseAbi([
  "function pokeLiquidations()",
  "function liquidateUser(address user)",
  "function settleMakerRewards(address liquidatedUser, address[] makers, uint256[] amounts)",
  "function calculateMarkPrice() view returns (uint256)",
  "function bestBid() view returns (uint256)",
  "function bestAsk() view returns (uint256)",
  "event MakerRewardAccrued(address indexed liquidatedUser, uint256 rewardPool, uint256 totalScaled)",
]);

export const erc20Abi = parseAbi(["function balanceOf(address) view returns (uint256)"]);
