// Keeper-driven maker-reward settlement: follow `MakerRewardAccrued` with a persisted cursor and
// turn each event into one `settleMakerRewards(liquidatedUser, makers, amounts)` job keyed by the
// event (transaction hash + log index), so a re-read range or a second keeper never pays twice.
import { encodeFunctionData, getAbiItem, type Log, type PublicClient } from "viem";
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
    const head = (await this.o.client.getBlockNumber()) - this.o.confirmations;
    const cur = this.o.store.getCursor(this.o.cursorName);
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
      if (this.o.store.getJob(key)?.status === "done") continue;
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
        this.o.store.setCursor(this.o.cursorName, (ev.blockNumber - 1n).toString());
        return { lastBlock: ev.blockNumber - 1n, jobs };
      }
      jobs += 1;
    }
    this.o.store.setCursor(this.o.cursorName, to.toString());
    return { lastBlock: to, jobs };
  }
}
