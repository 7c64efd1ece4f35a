// Events the monitor decodes from every contract in the record (unknown logs are counted, not lost).
import { decodeEventLog, parseAbi, type Log } from "viem";

export const monitoredEventsAbi = parseAbi([
  "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
  "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
  "event Paused(address account)",
  "event Unpaused(address account)",
  "event Upgraded(address indexed implementation)",
  "event AdminChanged(address previousAdmin, address newAdmin)",
  "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)",
  "event DiamondCut((address facetAddress, uint8 action, bytes4[] functionSelectors)[] diamondCut, address init, bytes data)",
  "event VaultSet(address indexed oldVault, address indexed newVault)",
  "event UserLiquidated(address indexed user, address indexed liquidator, uint256 closedAmount, uint256 closedNotional, uint256 badDebt)",
  "event PositionUpdated(address indexed user, bytes32 indexed marketId, int256 oldSize, int256 newSize, uint256 entryPrice, uint256 tradePrice, int256 realizedPnl)",
  "event MarginLocked(address indexed user, bytes32 indexed marketId, uint256 amount, uint256 totalLocked)",
  "event MarginReleased(address indexed user, bytes32 indexed marketId, uint256 amount, uint256 totalLocked)",
  "event VaultMarketSettled(bytes32 indexed marketId, uint256 finalPrice, uint256 positionsSettled)",
  "event LiquidationPenaltyCharged(address indexed user, bytes32 indexed marketId, uint256 penalty, uint256 toInsurance, uint256 toLiquidator, uint256 toMakerPool)",
  "event MakerRewardAccrued(address indexed liquidatedUser, uint256 rewardPool, uint256 totalScaled)",
  "event BadDebtRecorded(bytes32 indexed marketId, address indexed user, uint256 uncovered, uint256 marketDeficit)",
]);

export type Decoded = { name: string; args: Record<string, unknown> };

export function decode(l: Log): Decoded | undefined {
  try {
    const d = decodeEventLog({ abi: monitoredEventsAbi, data: l.data, topics: l.topics, strict: false });
    return { name: d.eventName, args: (d.args ?? {}) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
