// Sends keeper transactions: estimate first (a revert is dropped, not sent; an estimate above the
// small-block budget is refused), then sign with one of several keys, each its own nonce lane of at
// most `maxPendingPerLane` transactions (HyperEVM's mempool takes only the next 8 nonces per sender).
// Every signed transaction is journaled in the store before it is broadcast. A stuck transaction is
// replaced by the same nonce at a higher fee, never by a new nonce, so a job cannot land twice.
import {
  keccak256,
  parseTransaction,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { KeeperError, classify, errorMessage } from "./errors.ts";
import type { KeeperStore, TxRecord } from "./store.ts";

export type SenderOptions = {
  client: PublicClient;
  chainId: number;
  accounts: LocalAccount[];
  store: KeeperStore;
  owner: string;
  /** Refuse any transaction whose estimate exceeds this (default 1,500,000: room left in a 2M block). */
  gasBudget?: bigint;
  /** Gas limit = estimate * (100 + headroomPct) / 100, never above the budget. */
  headroomPct?: bigint;
  maxPendingPerLane?: number;
  /** A transaction pending longer than this is replaced with a bumped fee. */
  stuckMs?: number;
  /** Fee bump per replacement in percent (nodes require >= 10). */
  bumpPct?: bigint;
  maxBumps?: number;
};

export type Outcome = {
  jobKey: string;
  status: "mined" | "reverted" | "dropped";
  tx: TxRecord;
  receipt?: TransactionReceipt;
};

export type SubmitResult =
  | { kind: "sent"; tx: TxRecord; gasEstimate: bigint }
  | { kind: "reverted"; reason: string }
  /** The simulation succeeded but would change nothing (e.g. liquidateUser closing 0). */
  | { kind: "no_effect"; reason: string }
  | { kind: "over_budget"; gasEstimate: bigint }
  | { kind: "lanes_full" };

type Lane = { account: LocalAccount; next: number; synced: boolean };

export const DEFAULT_GAS_BUDGET = 1_500_000n;

export class TxSender {
  readonly gasBudget: bigint;
  private o: Required<Omit<SenderOptions, "gasBudget">>;
  private lanes: Lane[];
  private rr = 0;

  constructor(opts: SenderOptions) {
    this.gasBudget = opts.gasBudget ?? DEFAULT_GAS_BUDGET;
    this.o = {
      headroomPct: 20n,
      maxPendingPerLane: 8,
      stuckMs: 15_000,
      bumpPct: 15n,
      maxBumps: 4,
      ...opts,
    } as Required<Omit<SenderOptions, "gasBudget">>;
    if (opts.accounts.length === 0) throw new KeeperError("config", "the keeper needs at least one signer key");
    this.lanes = opts.accounts.map((account) => ({ account, next: 0, synced: false }));
  }

  get addresses(): `0x${string}`[] {
    return this.lanes.map((l) => l.account.address);
  }

  /** Distinct pending nonces of one lane (replacements of one nonce count once). */
  async pendingCount(lane: `0x${string}`): Promise<number> {
    return new Set((await this.o.store.pendingTxs(lane)).map((t) => t.nonce)).size;
  }

  async totalPending(): Promise<number> {
    let n = 0;
    for (const l of this.lanes) n += await this.pendingCount(l.account.address);
    return n;
  }

  /** Next nonce: the chain's pending count or past what this store already signed, whichever is higher. */
  private async sync(lane: Lane): Promise<void> {
    const chain = await this.o.client.getTransactionCount({ address: lane.account.address, blockTag: "pending" });
    const stored = (await this.o.store.pendingTxs(lane.account.address)).reduce((m, t) => Math.max(m, t.nonce + 1), 0);
    lane.next = Math.max(chain, stored);
    lane.synced = true;
  }

  private async pickLane(from?: `0x${string}`): Promise<Lane | undefined> {
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = this.lanes[(this.rr + i) % this.lanes.length]!;
      if (from && lane.account.address.toLowerCase() !== from.toLowerCase()) continue;
      if ((await this.pendingCount(lane.account.address)) < this.o.maxPendingPerLane) {
        this.rr = (this.rr + i + 1) % this.lanes.length;
        return lane;
      }
    }
    return undefined;
  }

  /** Estimate, check the budget, sign, journal, broadcast. Throws only on RPC failure.
   * `from` pins the signer (a call only one key may make, e.g. the book's reward keeper). */
  async submit(
    jobKey: string,
    to: `0x${string}`,
    data: Hex,
    from?: `0x${string}`,
    effect?: (returnData: Hex) => string | undefined,
  ): Promise<SubmitResult> {
    const lane = await this.pickLane(from);
    if (!lane) return { kind: "lanes_full" };
    let gasEstimate: bigint;
    try {
      if (effect) {
        const sim = await this.o.client.call({ account: lane.account.address, to, data });
        const why = effect(sim.data ?? "0x");
        if (why) return { kind: "no_effect", reason: why };
      }
      gasEstimate = await this.o.client.estimateGas({ account: lane.account.address, to, data });
    } catch (err) {
      if (classify(err) === "revert") return { kind: "reverted", reason: errorMessage(err) };
      throw err;
    }
    if (gasEstimate > this.gasBudget) return { kind: "over_budget", gasEstimate };
    if (!lane.synced) await this.sync(lane);
    const fees = await this.o.client.estimateFeesPerGas();
    const gasLimit = min((gasEstimate * (100n + this.o.headroomPct)) / 100n, this.gasBudget);
    const tx = await this.sign(
      lane.account,
      jobKey,
      to,
      data,
      lane.next,
      gasLimit,
      fees.maxFeePerGas,
      fees.maxPriorityFeePerGas,
    );
    await this.o.store.recordTx(tx, this.o.owner);
    lane.next += 1;
    await this.broadcast(tx, lane);
    return { kind: "sent", tx, gasEstimate };
  }

  private async sign(
    account: LocalAccount,
    jobKey: string,
    to: `0x${string}`,
    data: Hex,
    nonce: number,
    gasLimit: bigint,
    maxFeePerGas: bigint,
    maxPriorityFeePerGas: bigint,
  ): Promise<TxRecord> {
    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: this.o.chainId,
      to,
      data,
      nonce,
      gas: gasLimit,
      maxFeePerGas,
      maxPriorityFeePerGas,
    });
    return {
      hash: keccak256(raw),
      jobKey,
      lane: account.address.toLowerCase() as `0x${string}`,
      nonce,
      raw,
      maxFeePerGas,
      maxPriorityFeePerGas,
      gasLimit,
      sentAt: Date.now(),
      status: "pending",
      gasUsed: 0n,
      block: 0n,
    };
  }

  private async broadcast(tx: TxRecord, lane?: Lane): Promise<void> {
    try {
      await this.o.client.sendRawTransaction({ serializedTransaction: tx.raw });
    } catch (err) {
      const kind = classify(err);
      // "already known": the node has it (a retry after a timeout). Anything else: poll() decides,
      // from the chain nonce, whether this transaction can still land; the lane re-reads its nonce.
      if (/already known|known transaction/i.test(errorMessage(err))) return;
      if (lane) lane.synced = false;
      if (kind === "nonce") return;
      throw err;
    }
  }

  private receipt(hash: `0x${string}`): Promise<TransactionReceipt | undefined> {
    return this.o.client.getTransactionReceipt({ hash }).catch((err: unknown) => {
      if ((err as { name?: string }).name === "TransactionReceiptNotFoundError") return undefined;
      throw err;
    });
  }

  /** Stuck transactions replaced since start. */
  replacements = 0;

  /** Errors met by the last poll() (one failing lane or nonce never hides the others' outcomes). */
  pollErrors: unknown[] = [];

  /** Resolve every pending transaction of every lane; replace stuck ones. Returns finished jobs. */
  async poll(now = Date.now()): Promise<Outcome[]> {
    const out: Outcome[] = [];
    this.pollErrors = [];
    for (const lane of this.lanes) {
      const pending = await this.o.store.pendingTxs(lane.account.address);
      if (pending.length === 0) continue;
      const byNonce = new Map<number, TxRecord[]>();
      for (const t of pending) byNonce.set(t.nonce, [...(byNonce.get(t.nonce) ?? []), t]);
      let latest: number;
      try {
        latest = await this.o.client.getTransactionCount({ address: lane.account.address, blockTag: "latest" });
      } catch (err) {
        this.pollErrors.push(err);
        continue;
      }
      for (const [nonce, attempts] of byNonce) {
        try {
          await this.resolveNonce(lane, nonce, attempts, latest, now, out);
        } catch (err) {
          this.pollErrors.push(err);
        }
      }
    }
    return out;
  }

  private async resolveNonce(
    lane: Lane,
    nonce: number,
    attempts: TxRecord[],
    latest: number,
    now: number,
    out: Outcome[],
  ): Promise<void> {
    let mined: { tx: TxRecord; receipt: TransactionReceipt } | undefined;
    for (const t of attempts) {
      const receipt = await this.receipt(t.hash);
      if (receipt) mined = { tx: t, receipt };
    }
    if (mined) {
      const status = mined.receipt.status === "success" ? "mined" : "reverted";
      await this.o.store.updateTx(mined.tx.hash, status, mined.receipt.gasUsed, mined.receipt.blockNumber);
      for (const t of attempts) if (t.hash !== mined.tx.hash) await this.o.store.updateTx(t.hash, "replaced");
      out.push({
        jobKey: mined.tx.jobKey,
        status,
        tx: { ...mined.tx, gasUsed: mined.receipt.gasUsed },
        receipt: mined.receipt,
      });
      return;
    }
    const last = attempts[attempts.length - 1]!;
    if (nonce < latest) {
      // The nonce was used and none of our attempts has a receipt: nothing of this job landed.
      for (const t of attempts) await this.o.store.updateTx(t.hash, "dropped");
      lane.synced = false;
      out.push({ jobKey: last.jobKey, status: "dropped", tx: last });
      return;
    }
    if (now - last.sentAt >= this.o.stuckMs && attempts.length <= this.o.maxBumps) {
      await this.replace(lane, last);
    } else {
      // Still waiting: make sure the node has it (it may have restarted or dropped it).
      await this.broadcast(last).catch(() => undefined);
    }
  }

  /** Same nonce, same call, fees bumped by bumpPct: whichever attempt is mined, the job lands once. */
  private async replace(lane: Lane, last: TxRecord): Promise<void> {
    const fees = await this.o.client.estimateFeesPerGas();
    const bump = (v: bigint) => (v * (100n + this.o.bumpPct)) / 100n + 1n;
    const maxPriority = max(bump(last.maxPriorityFeePerGas), fees.maxPriorityFeePerGas);
    const maxFee = max(bump(last.maxFeePerGas), fees.maxFeePerGas, maxPriority);
    const { to, data } = decodeCall(last.raw);
    const tx = await this.sign(lane.account, last.jobKey, to, data, last.nonce, last.gasLimit, maxFee, maxPriority);
    await this.o.store.recordTx(tx, this.o.owner);
    this.replacements += 1;
    await this.broadcast(tx);
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
function max(...v: bigint[]): bigint {
  return v.reduce((m, x) => (x > m ? x : m));
}

function decodeCall(raw: Hex): { to: `0x${string}`; data: Hex } {
  const t = parseTransaction(raw);
  return { to: t.to!, data: t.data ?? "0x" };
}
