// The slices of each contract's ABI the ops tool reads and writes. Kept as human-readable
// signatures so the tool works against any build that keeps these names (the spec's v5 names).
import { keccak256, parseAbi, stringToHex, toFunctionSelector, zeroHash } from "viem";
import type { Hex } from "viem";

export const ROLE_NAMES = [
  "DEFAULT_ADMIN_ROLE",
  "FACTORY_ROLE",
  "SETTLEMENT_ROLE",
  "EXTERNAL_CREDITOR_ROLE",
  "ORDERBOOK_ROLE",
  "PAUSER_ROLE",
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export function roleId(name: RoleName): Hex {
  return name === "DEFAULT_ADMIN_ROLE" ? zeroHash : keccak256(stringToHex(name));
}

export const accessControlAbi = parseAbi([
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function getRoleMemberCount(bytes32 role) view returns (uint256)",
  "function getRoleMember(bytes32 role, uint256 index) view returns (address)",
  "function getRoleMembers(bytes32 role) view returns (address[])",
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
]);

export const vaultWiringAbi = parseAbi([
  "function marketToOrderBook(bytes32 marketId) view returns (address)",
  "function isOrderBookRegistered(address orderBook) view returns (bool)",
  "function getOrderBooksCount() view returns (uint256)",
  "function getOrderBooksPage(uint256 offset, uint256 limit) view returns (address[])",
  "function getMarketsCount() view returns (uint256)",
  "function getMarketsPage(uint256 offset, uint256 limit) view returns (bytes32[] marketIds, address[] orderBooks)",
  "function registerOrderBook(address orderBook)",
  "function assignMarketToOrderBook(bytes32 marketId, address orderBook)",
  "function collateralToken() view returns (address)",
  "function paused() view returns (bool)",
  "function pause()",
  "function unpause()",
  "function setMmrParams(uint256 mmrOfImrBps)",
  "function setLiquidationParams(uint256 penaltyBps, uint256 insuranceShareBps, uint256 liquidatorShareBps)",
  "function upgradeToAndCall(address newImplementation, bytes data) payable",
  "function setMarketRiskParams(bytes32 marketId, uint256 initialMarginBps)",
  "function setFeeParams(address protocolFeeRecipient, uint256 protocolShareBps)",
  "function setMaxMarkMove(uint256 maxMarkMoveBps)",
  "function initialize(address usdc, address admin)",
  "function getMarkPrice(bytes32 marketId) view returns (uint256)",
  "function getUsersWithPositionsInMarketCount(bytes32 marketId) view returns (uint256)",
  "function updateMarkPrice(bytes32 marketId, uint256 price)",
  "function getRiskParams() view returns ((uint256 mmrOfImrBps, uint256 penaltyBps, uint256 insuranceShareBps, uint256 liquidatorShareBps, uint256 protocolShareBps, uint256 maxMarkMoveBps, address protocolFeeRecipient))",
  "function getMarketInfo(bytes32 marketId) view returns ((address orderBook, uint8 status, uint256 initialMarginBps, uint256 markPrice, uint256 finalPrice, uint256 settledPositions, uint256 openPositions))",
]);

export type RiskParams = {
  mmrOfImrBps: bigint;
  penaltyBps: bigint;
  insuranceShareBps: bigint;
  liquidatorShareBps: bigint;
  protocolShareBps: bigint;
  maxMarkMoveBps: bigint;
  protocolFeeRecipient: `0x${string}`;
};

export const diamondCutAbi = parseAbi([
  "function diamondCut((address facetAddress, uint8 action, bytes4[] functionSelectors)[] cut, address init, bytes data)",
]);

export const orderBookAbi = parseAbi([
  "function marketStatic() view returns (address vault, bytes32 marketId, address feeRecipient, uint256 tickSize, uint256 lotSize, uint256 minNotional)",
  "function setVault(address newVault)",
  "function owner() view returns (address)",
  "function facetAddress(bytes4 selector) view returns (address)",
  "function facetAddresses() view returns (address[])",
  "function bestBid() view returns (uint256)",
  "function bestAsk() view returns (uint256)",
  "function calculateMarkPrice() view returns (uint256)",
  "function getLiquidationConfig() view returns (uint256 maxPage, uint256 maxUsersPerTx, uint256 maxLevels, uint256 maxAdlPerTx, uint256 liqPriceBoundBps, uint256 liqNotionalCap, uint256 lastCheckedIndex)",
  "function getTopLevels(bool isBuy, uint256 n) view returns (uint256[] prices, uint256[] totals)",
  "function getActiveOrdersCount() view returns (uint256)",
  "function getUserOrders(address user) view returns (uint256[])",
  "function pokeLiquidations() returns (uint256 liquidated)",
  "function liquidateUser(address user) returns (uint256 closedAmount)",
  "event UserLiquidated(address indexed user, address indexed liquidator, uint256 closedAmount, uint256 closedNotional, uint256 badDebt)",
]);

export const SET_VAULT_SELECTOR = toFunctionSelector("function setVault(address)");

export const hubAbi = parseAbi([
  "function coreVault() view returns (address)",
  "function operator() view returns (address)",
  "function setCoreVaultParams(address newVault, address operator)",
]);

export const factoryAbi = parseAbi([
  "function vault() view returns (address)",
  "function setVault(address newVault)",
  "function getMarketsCount() view returns (uint256)",
  "function getMarketsPage(uint256 offset, uint256 limit) view returns (bytes32[] marketIds, address[] orderBooks)",
]);

export const erc20Abi = parseAbi([
  "function decimals() view returns (uint8)",
  "function balanceOf(address) view returns (uint256)",
  "function symbol() view returns (string)",
]);

export const ERC1967_IMPLEMENTATION_SLOT: Hex = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
