// The keeper's job runner: claim a job in the shared store, simulate, estimate, check the budget,
// send through a nonce lane; finish jobs from their transactions' outcomes; resolve jobs a dead
// instance left in flight. Every "at most once" guarantee of the keeper lives here and in the store.
import { decodeFunctionResult, type PublicClient } from "viem";
import { orderBookAbi } from "./abi.ts";
import type { KeeperMetrics } from "./metrics.ts";
import type { Outcome, SubmitResult, TxSender } from "./sender.ts";
import type { KeeperStore, TxRecord } from "./store.ts";

export type JobKind = "liquidate" | "poke" | "reward" | "socialize";
export type SubmitOutcome = "sent" | "taken" | "dropped" | "lanes_full" | "inflight";

export type JobRunnerDeps = {
  id: string;
  client: PublicClient;
  store: KeeperStore;
  sender: TxSender;
  metrics: KeeperMetrics;
  log: (rec: Record<string, unknown>) => void;
  leaseMs?: number;
  retryAfterMs?: number;
};

export class JobRunner {
  readonly sentByKind = { liquidate: 0, poke: 0, reward: 0, socialize: 0 };
  private d: JobRunnerDeps;

  constructor(d: JobRunnerDeps) {
    this.d = d;
  }

  /** A transaction of this kind for this book in flight, from any keeper sharing the store. */
  async inFlight(kind: "liq" | "poke" | "soc", book: `0x${string}`): Promise<boolean> {
    return (await this.d.store.countSent(`${kind}:${book.toLowerCase()}:`)) > 0;
  }

  /** Claim `key`, then estimate, check the budget and send. The store makes this at-most-once. */
  async submit(
    key: string,
    kind: JobKind,
    market: string,
    to: `0x${string}`,
    data: `0x${string}`,
    from?: `0x${string}`,
    effect?: (returnData: `0x${string}`) => string | undefined,
  ): Promise<"sent" | "taken" | "dropped" | "lanes_full" | "inflight"> {
    const lease = this.d.leaseMs ?? 60_000;
    const claim = await this.d.store.claim(key, kind, market, this.d.id, lease);
    if (claim.kind === "taken") return "taken";
    if (claim.kind === "inflight") {
      await this.resolveInflight(claim.job.key, claim.txs);
      return "inflight";
    }
    let r: SubmitResult;
    try {
      r = await this.d.sender.submit(key, to, data, from, effect);
    } catch (err) {
      await this.d.store.release(key, this.d.id);
      throw err;
    }
    switch (r.kind) {
      case "sent":
        this.sentByKind[kind] += 1;
        this.d.log({
          level: "info",
          msg: "sent",
          kind,
          key,
          hash: r.tx.hash,
          nonce: r.tx.nonce,
          lane: r.tx.lane,
          gasEstimate: r.gasEstimate,
        });
        return "sent";
      case "lanes_full":
        await this.d.store.release(key, this.d.id);
        return "lanes_full";
      case "no_effect":
        this.d.metrics.dropped.inc({ reason: "no_effect" });
        await this.d.store.finish(key, this.d.id, "dropped", r.reason, this.d.retryAfterMs ?? 10_000);
        this.d.log({ level: "info", msg: "dropped: would change nothing", kind, key, reason: r.reason });
        return "dropped";
      case "reverted":
        this.d.metrics.dropped.inc({ reason: "revert" });
        await this.d.store.finish(
          key,
          this.d.id,
          "dropped",
          `simulation reverted: ${r.reason}`,
          this.d.retryAfterMs ?? 10_000,
        );
        this.d.log({ level: "info", msg: "dropped: simulation reverted", kind, key, reason: r.reason });
        return "dropped";
      case "over_budget":
        this.d.metrics.dropped.inc({ reason: "over_budget" });
        this.d.metrics.errors.inc({ kind: "over_budget" });
        await this.d.store.finish(
          key,
          this.d.id,
          "dropped",
          `estimate ${r.gasEstimate} > budget`,
          this.d.retryAfterMs ?? 10_000,
        );
        this.d.log({
          level: "warn",
          msg: "refused: over the gas budget",
          kind,
          key,
          gasEstimate: r.gasEstimate,
          budget: this.d.sender.gasBudget,
        });
        return "dropped";
    }
  }

  /** A job another (dead) instance sent: find out whether it landed; never send it again. */
  private async resolveInflight(key: string, txs: TxRecord[]): Promise<void> {
    const ours = new Set(this.d.sender.addresses.map((a) => a.toLowerCase()));
    for (const t of txs) {
      const receipt = await this.d.client.getTransactionReceipt({ hash: t.hash }).catch(() => undefined);
      if (receipt) {
        await this.d.store.updateTx(
          t.hash,
          receipt.status === "success" ? "mined" : "reverted",
          receipt.gasUsed,
          receipt.blockNumber,
        );
        await this.handleOutcomes([
          { jobKey: key, status: receipt.status === "success" ? "mined" : "reverted", tx: t, receipt },
        ]);
        return;
      }
    }
    const last = txs[txs.length - 1];
    if (!last) {
      await this.d.store.finish(key, null, "dropped", "sent without a journaled transaction");
      return;
    }
    if (ours.has(last.lane)) return; // our own lane: sender.poll() resolves and replaces it
    const latest = await this.d.client.getTransactionCount({ address: last.lane, blockTag: "latest" });
    if (latest > last.nonce) {
      for (const t of txs) await this.d.store.updateTx(t.hash, "dropped");
      await this.d.store.finish(key, null, "dropped", "nonce used by another transaction");
      return;
    }
    await this.d.client.sendRawTransaction({ serializedTransaction: last.raw }).catch(() => undefined);
  }

  /**
   * A job left `sent` whose transactions are all resolved (its outcome was lost between the store
   * update and the job update, e.g. a crash): finish it from what the journal says happened.
   */
  async reconcile(): Promise<void> {
    for (const job of await this.d.store.jobsByStatus("sent")) {
      const txs = await this.d.store.txsForJob(job.key);
      if (txs.length === 0 || txs.some((t) => t.status === "pending")) continue;
      const mined = txs.find((t) => t.status === "mined");
      if (mined) await this.d.store.finish(job.key, null, "done", mined.hash);
      else await this.d.store.finish(job.key, null, "dropped", "no attempt mined", this.d.retryAfterMs ?? 10_000);
    }
  }

  async handleOutcomes(outcomes: Outcome[]): Promise<void> {
    for (const o of outcomes) {
      const kind = o.jobKey.split(":")[0] ?? "?";
      const label = kind === "liq" ? "liquidate" : kind === "soc" ? "socialize" : kind;
      const market = (await this.d.store.getJob(o.jobKey))?.market ?? "?";
      if (o.status === "mined") {
        await this.d.store.finish(o.jobKey, null, "done", o.tx.hash);
        this.d.metrics.gasPerTx.observe({ kind: label }, Number(o.tx.gasUsed));
        if (label === "liquidate") this.d.metrics.liquidations.inc({ market });
        else if (label === "poke") this.d.metrics.pokes.inc({ market });
        else if (label === "reward") this.d.metrics.rewardSettlements.inc({ market });
        else if (label === "socialize") this.d.metrics.socializations.inc({ market });
      } else {
        await this.d.store.finish(o.jobKey, null, "dropped", `${o.status} ${o.tx.hash}`, this.d.retryAfterMs ?? 10_000);
        this.d.metrics.errors.inc({ kind: o.status === "reverted" ? "revert" : "nonce" });
      }
      this.d.log({ level: "info", msg: `tx ${o.status}`, key: o.jobKey, hash: o.tx.hash, gasUsed: o.tx.gasUsed });
    }
  }
}

/** An effect check: drop the job when the simulated call of `functionName` returns 0 (`why`). */
function dropsOnZero(
  functionName: "pokeLiquidations" | "socializeDeficit" | "liquidateUser",
  why: string,
): (ret: `0x${string}`) => string | undefined {
  return (ret) => {
    try {
      const n = decodeFunctionResult({ abi: orderBookAbi, functionName, data: ret }) as bigint;
      return n === 0n ? why : undefined;
    } catch {
      return undefined;
    }
  };
}

/** pokeLiquidations returns how many accounts it liquidated. */
export const pokesNobody = dropsOnZero("pokeLiquidations", "pokeLiquidations would liquidate nobody");

/** socializeDeficit returns what it recovered: 0 means none of the candidates is in profit any more. */
export const recoversNothing = dropsOnZero("socializeDeficit", "socializeDeficit would recover 0");

/** liquidateUser returns the size it closed: 0 means the book had nothing inside the bound. */
export const closesNothing = dropsOnZero(
  "liquidateUser",
  "liquidateUser would close 0 (no liquidity inside the price bound)",
);
