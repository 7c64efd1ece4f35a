// The keeper's persistent state behind one small interface: job claims with leases (so two keepers on
// one store never take the same job), cursors, and every transaction sent (so a restart neither
// forgets an in-flight transaction nor sends a second one for the same job).

export type JobStatus = "claimed" | "sent" | "done" | "dropped";

export type Job = {
  key: string;
  kind: string;
  market: string;
  status: JobStatus;
  owner: string;
  leaseUntil: number;
  attempts: number;
  retryAt: number;
  note: string;
};

export type TxRecord = {
  hash: `0x${string}`;
  jobKey: string;
  lane: `0x${string}`;
  nonce: number;
  raw: `0x${string}`;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  gasLimit: bigint;
  sentAt: number;
  /** pending | mined | reverted | replaced | dropped */
  status: string;
  gasUsed: bigint;
  block: bigint;
};

export type ClaimResult =
  /** A fresh job or an abandoned one without a transaction: the caller may act. */
  | { kind: "new"; job: Job }
  /** An abandoned job whose transaction may still land: the caller must resolve it, never resend. */
  | { kind: "inflight"; job: Job; txs: TxRecord[] }
  | { kind: "taken" };

/** Every method returns a Promise: the SQLite store answers at once, the PostgreSQL one over the network. */
export interface KeeperStore {
  /** Take `key` for `owner` until now + leaseMs. Atomic across processes sharing the store. */
  claim(key: string, kind: string, market: string, owner: string, leaseMs: number, now?: number): Promise<ClaimResult>;
  /** Extend a lease this owner holds; false if it lost it. */
  renew(key: string, owner: string, leaseMs: number, now?: number): Promise<boolean>;
  /** Finish a job this owner holds (owner null: decided by the job's mined transaction, whoever holds it).
   * `dropped` jobs may be claimed again after `retryAfterMs`. */
  finish(
    key: string,
    owner: string | null,
    status: "done" | "dropped",
    note?: string,
    retryAfterMs?: number,
  ): Promise<boolean>;
  /** Give a job back without acting (it can be claimed again at once). */
  release(key: string, owner: string): Promise<void>;
  getJob(key: string): Promise<Job | undefined>;
  /** Jobs in one status, ordered by key (byte order). */
  jobsByStatus(status: JobStatus): Promise<Job[]>;
  /** Jobs whose key starts with `prefix` that have a transaction in flight (any keeper). */
  countSent(prefix: string): Promise<number>;

  /** Journal a signed transaction and mark its job `sent`, both or neither. */
  recordTx(tx: TxRecord, owner: string): Promise<void>;
  updateTx(hash: `0x${string}`, status: string, gasUsed?: bigint, block?: bigint): Promise<void>;
  /** A job's transactions, oldest first (the last one is the latest attempt). */
  txsForJob(jobKey: string): Promise<TxRecord[]>;
  /** Transactions of one signer that are not yet known mined or dead, by nonce then age. */
  pendingTxs(lane: `0x${string}`): Promise<TxRecord[]>;

  getCursor(name: string): Promise<string | undefined>;
  setCursor(name: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The claim rule both stores apply to an existing job while holding its lock: what a new claim at
 * `now` makes of it. `done` is final; `dropped` waits for its retry time; a live lease is refused;
 * an expired lease is taken over, and a job that had a transaction stays `sent` (handed over as
 * in flight, never as new).
 */
export function claimOver(job: Job, now: number): "taken" | "claimed" | "sent" {
  if (job.status === "done") return "taken";
  if (job.status === "dropped" && now < job.retryAt) return "taken";
  if ((job.status === "claimed" || job.status === "sent") && job.leaseUntil > now) return "taken";
  return job.status === "sent" ? "sent" : "claimed";
}

/** A row of the `jobs` table (same columns in both stores) as a Job. */
export function rowToJob(r: Record<string, unknown>): Job {
  return {
    key: String(r.key),
    kind: String(r.kind),
    market: String(r.market),
    status: String(r.status) as JobStatus,
    owner: String(r.owner),
    leaseUntil: Number(r.lease_until),
    attempts: Number(r.attempts),
    retryAt: Number(r.retry_at),
    note: String(r.note),
  };
}

/** A row of the `txs` table as a TxRecord (amounts are stored as decimal text or NUMERIC). */
export function rowToTx(r: Record<string, unknown>): TxRecord {
  return {
    hash: String(r.hash) as `0x${string}`,
    jobKey: String(r.job_key),
    lane: String(r.lane) as `0x${string}`,
    nonce: Number(r.nonce),
    raw: String(r.raw) as `0x${string}`,
    maxFeePerGas: BigInt(String(r.max_fee)),
    maxPriorityFeePerGas: BigInt(String(r.max_priority)),
    gasLimit: BigInt(String(r.gas_limit)),
    sentAt: Number(r.sent_at),
    status: String(r.status),
    gasUsed: BigInt(String(r.gas_used)),
    block: BigInt(String(r.block)),
  };
}

/** The `txs` row values of `tx` in column order (hash, job_key, lane, nonce, raw, max_fee,
 * max_priority, gas_limit, sent_at, status, owner): both stores insert exactly this. */
export function txRowValues(tx: TxRecord, owner: string): (string | number)[] {
  return [
    tx.hash,
    tx.jobKey,
    tx.lane.toLowerCase(),
    tx.nonce,
    tx.raw,
    tx.maxFeePerGas.toString(),
    tx.maxPriorityFeePerGas.toString(),
    tx.gasLimit.toString(),
    tx.sentAt,
    tx.status,
    owner,
  ];
}
