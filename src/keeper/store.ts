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

export interface KeeperStore {
  /** Take `key` for `owner` until now + leaseMs. Atomic across processes sharing the store. */
  claim(key: string, kind: string, market: string, owner: string, leaseMs: number, now?: number): ClaimResult;
  /** Extend a lease this owner holds; false if it lost it. */
  renew(key: string, owner: string, leaseMs: number, now?: number): boolean;
  /** Finish a job this owner holds (owner null: decided by the job's mined transaction, whoever holds it).
   * `dropped` jobs may be claimed again after `retryAfterMs`. */
  finish(key: string, owner: string | null, status: "done" | "dropped", note?: string, retryAfterMs?: number): boolean;
  /** Give a job back without acting (it can be claimed again at once). */
  release(key: string, owner: string): void;
  getJob(key: string): Job | undefined;
  jobsByStatus(status: JobStatus): Job[];
  /** Jobs whose key starts with `prefix` that have a transaction in flight (any keeper). */
  countSent(prefix: string): number;

  recordTx(tx: TxRecord, owner: string): void;
  updateTx(hash: `0x${string}`, status: string, gasUsed?: bigint, block?: bigint): void;
  txsForJob(jobKey: string): TxRecord[];
  /** Transactions of one signer that are not yet known mined or dead. */
  pendingTxs(lane: `0x${string}`): TxRecord[];

  getCursor(name: string): string | undefined;
  setCursor(name: string, value: string): void;
  close(): void;
}
