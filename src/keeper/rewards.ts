// Keeper-driven maker-reward settlement: follow `MakerRewardAccrued` with a persisted cursor and
// turn each event into one `settleMakerRewards(liquidatedUser, makers, amounts)` job keyed by the
// event (transaction hash + log index), so a re-read range or a second keeper never pays twice.
import { decodeEventLog, encodeFunctionData, getAbiItem, type Log, type PublicClient } from "viem";
import { orderBookAbi } from "./abi.ts";
import type { KeeperStore } from "./store.ts";

export type AccruedEvent = {
  book: `0x${string}`;
  liquidatedUser: `0x${string}`;
  rewardPool: bigint;
  totalScaled: bigint;
  txHash: `0x${string}`;
  logIndex: number;
  blockNumber: bigint;
};

/** Who gets what for one accrual (read from the liquidation's fill events); null = nothing to pay. */
export type RewardPlanner = (
  client: PublicClient,
  ev: AccruedEvent,
) => Promise<{ makers: `0x${string}`[]; amounts: bigint[] } | null>;

/** Pro-rata split of `pool` by weight, rounded down, so the sum never exceeds the pool. */
export function splitPool(pool: bigint, weights: bigint[], total: bigint): bigint[] {
  if (total === 0n) return weights.map(() => 0n);
  return weights.map((w) => (pool * w) / total);
}

export function rewardJobKey(ev: Pick<AccruedEvent, "txHash" | "logIndex">): string {
  return `reward:${ev.txHash.toLowerCase()}:${ev.logIndex}`;
}

type Submit = (key: string, book: `0x${string}`, data: `0x${string}`) => Promise<string>;

export class RewardSettler {
  private o: {
    client: PublicClient;
    store: KeeperStore;
    planner: RewardPlanner;
    fromBlock: bigint;
    confirmations: bigint;
    cursorName: string;
    maxRange?: bigint;
  };

  constructor(o: RewardSettler["o"]) {
    this.o = o;
  }

  /** Read the next block range; returns the last block fully handled. */
  async step(submit: Submit): Promise<{ lastBlock?: bigint; jobs: number }> {
    const head = (await this.o.client.getBlockNumber({ cacheTime: 0 })) - this.o.confirmations;
    const cur = await this.o.store.getCursor(this.o.cursorName);
    const from = cur === undefined ? this.o.fromBlock : BigInt(cur) + 1n;
    if (from > head) return { lastBlock: cur === undefined ? undefined : BigInt(cur), jobs: 0 };
    const to = head - from > (this.o.maxRange ?? 2_000n) ? from + (this.o.maxRange ?? 2_000n) : head;
    const logs = await this.o.client.getLogs({
      event: getAbiItem({ abi: orderBookAbi, name: "MakerRewardAccrued" }),
      fromBlock: from,
      toBlock: to,
    });
    let jobs = 0;
    for (const l of logs as (Log & {
      args: { liquidatedUser: `0x${string}`; rewardPool: bigint; totalScaled: bigint };
    })[]) {
      const ev: AccruedEvent = {
        book: l.address,
        liquidatedUser: l.args.liquidatedUser,
        rewardPool: l.args.rewardPool,
        totalScaled: l.args.totalScaled,
        txHash: l.transactionHash!,
        logIndex: l.logIndex!,
        blockNumber: l.blockNumber!,
      };
      if (ev.rewardPool === 0n) continue;
      const key = rewardJobKey(ev);
      if ((await this.o.store.getJob(key))?.status === "done") continue;
      const plan = await this.o.planner(this.o.client, ev);
      if (!plan || plan.makers.length === 0) continue;
      const data = encodeFunctionData({
        abi: orderBookAbi,
        functionName: "settleMakerRewards",
        args: [ev.liquidatedUser, plan.makers, plan.amounts],
      });
      const r = await submit(key, ev.book, data);
      // Lanes full: stop here and re-read from this block next time (keys make re-reads harmless).
      if (r === "lanes_full") {
        await this.o.store.setCursor(this.o.cursorName, (ev.blockNumber - 1n).toString());
        return { lastBlock: ev.blockNumber - 1n, jobs };
      }
      jobs += 1;
    }
    await this.o.store.setCursor(this.o.cursorName, to.toString());
    return { lastBlock: to, jobs };
  }
}

/**
 * Default planner: the makers of one accrual are the `LiquidationFill`s of the same liquidated user
 * in the same transaction (those before the accrual and after any earlier accrual for that user);
 * each maker's weight is its filled notional (amount * price / 1e18, USDC 6 dp), as `totalScaled` is.
 */
export const fillsPlanner: RewardPlanner = async (client, ev) => {
  const receipt = await client.getTransactionReceipt({ hash: ev.txHash });
  const user = ev.liquidatedUser.toLowerCase();
  const book = ev.book.toLowerCase();
  const logs = receipt.logs.filter((l) => l.address.toLowerCase() === book).sort((a, b) => a.logIndex - b.logIndex);
  const accruals = logs.filter((l) => {
    const d = tryDecode(l);
    return d?.eventName === "MakerRewardAccrued" && String(d.args.liquidatedUser).toLowerCase() === user;
  });
  const single = accruals.length <= 1;
  const prev = accruals.filter((l) => l.logIndex < ev.logIndex).pop()?.logIndex ?? -1;
  const weights = new Map<string, bigint>();
  for (const l of logs) {
    if (!single && (l.logIndex <= prev || l.logIndex >= ev.logIndex)) continue;
    const d = tryDecode(l);
    if (d?.eventName !== "LiquidationFill" || String(d.args.liquidatedUser).toLowerCase() !== user) continue;
    const maker = String(d.args.maker) as `0x${string}`;
    const notional = ((d.args.amount as bigint) * (d.args.price as bigint)) / 10n ** 18n;
    weights.set(maker, (weights.get(maker) ?? 0n) + notional);
  }
  const makers = [...weights.keys()] as `0x${string}`[];
  const w = makers.map((m) => weights.get(m)!);
  const sum = w.reduce((a, b) => a + b, 0n);
  const amounts = splitPool(ev.rewardPool, w, sum > ev.totalScaled ? sum : ev.totalScaled);
  const keep = makers.map((_, i) => i).filter((i) => amounts[i]! > 0n);
  if (keep.length === 0) return null;
  return { makers: keep.map((i) => makers[i]!), amounts: keep.map((i) => amounts[i]!) };
};

function tryDecode(l: { data: `0x${string}`; topics: [`0x${string}`, ...`0x${string}`[]] | [] }) {
  try {
    return decodeEventLog({ abi: orderBookAbi, data: l.data, topics: l.topics, strict: false });
  } catch {
    return undefined;
  }
}

/**
 * What `liquidator` can claim on `book` with claimLiquidatorReward: its liquidator shares, escrowed
 * in the vault by each liquidation it sent and recorded per keeper by the book (USDC, 6 decimals).
 */
export async function liquidatorRewardOwed(
  client: PublicClient,
  book: `0x${string}`,
  liquidator: `0x${string}`,
): Promise<bigint> {
  return (await client.readContract({
    address: book,
    abi: orderBookAbi,
    functionName: "liquidatorRewardOwed",
    args: [liquidator],
  })) as bigint;
}
