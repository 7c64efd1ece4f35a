// Follows the logs of a set of contracts with a persisted cursor. Each step re-reads the last
// `reorgDepth` blocks below the cursor: a log already handled (same block hash, tx, log index) is
// skipped, a log that vanished from a re-read range is reported as removed, so across restarts and
// reorgs there is no gap and no duplicate.
import type { Log, PublicClient } from "viem";
import type { MonitorStore } from "./store.ts";

export type FollowOptions = {
  client: PublicClient;
  store: MonitorStore;
  addresses: () => `0x${string}`[];
  cursorName: string;
  fromBlock: bigint;
  reorgDepth: bigint;
  maxRange?: bigint;
};

export const logId = (l: Pick<Log, "blockHash" | "transactionHash" | "logIndex">) =>
  `${l.blockHash}:${l.transactionHash}:${l.logIndex}`;

export class EventFollower {
  private o: FollowOptions;
  constructor(o: FollowOptions) {
    this.o = o;
  }

  get cursor(): bigint | undefined {
    return this.o.store.getCursor(this.o.cursorName);
  }

  /**
   * One step: fetch new logs, hand each new one to `handle` and mark it seen in the same store
   * transaction as its effects; report removed ids. Returns the head block reached.
   */
  async step(
    handle: (l: Log) => void,
    removed: (id: string) => void = () => undefined,
  ): Promise<{ to: bigint; logs: number } | undefined> {
    const head = await this.o.client.getBlockNumber({ cacheTime: 0 });
    const cur = this.cursor;
    const start = cur === undefined ? this.o.fromBlock : cur + 1n;
    const from = start - this.o.reorgDepth > this.o.fromBlock ? start - this.o.reorgDepth : this.o.fromBlock;
    if (from > head) return undefined;
    const max = this.o.maxRange ?? 5_000n;
    const to = head - from > max ? from + max : head;
    const addresses = this.o.addresses();
    const logs =
      addresses.length === 0 ? [] : await this.o.client.getLogs({ address: addresses, fromBlock: from, toBlock: to });
    logs.sort((a, b) =>
      a.blockNumber === b.blockNumber ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1,
    );
    const present = new Set(logs.map(logId));
    const seenBefore = this.o.store.seenInRange(from, to);
    let n = 0;
    this.o.store.tx(() => {
      for (const id of seenBefore)
        if (!present.has(id)) {
          this.o.store.unsee(id);
          removed(id);
        }
      for (const l of logs) {
        if (!this.o.store.markSeen(logId(l), l.blockNumber!)) continue;
        handle(l);
        n += 1;
      }
      this.o.store.setCursor(this.o.cursorName, to);
      this.o.store.pruneSeen(to - this.o.reorgDepth * 4n);
    });
    return { to, logs: n };
  }
}
