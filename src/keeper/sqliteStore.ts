// KeeperStore on Node's built-in SQLite. One file may be shared by several keeper processes:
// WAL journal, a busy timeout, and every claim inside BEGIN IMMEDIATE (the write lock is taken before
// the row is read), which gives the same guarantee as `SELECT ... FOR UPDATE` on PostgreSQL.
// node:sqlite is synchronous: each method runs start to end without yielding, then resolves.
import { DatabaseSync } from "node:sqlite";
import { claimOver, rowToJob, rowToTx, txRowValues } from "./store.ts";
import type { ClaimResult, Job, JobStatus, KeeperStore, TxRecord } from "./store.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, market TEXT NOT NULL, status TEXT NOT NULL,
  owner TEXT NOT NULL, lease_until INTEGER NOT NULL, attempts INTEGER NOT NULL,
  retry_at INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE TABLE IF NOT EXISTS txs (
  hash TEXT PRIMARY KEY, job_key TEXT NOT NULL, lane TEXT NOT NULL, nonce INTEGER NOT NULL, raw TEXT NOT NULL,
  max_fee TEXT NOT NULL, max_priority TEXT NOT NULL, gas_limit TEXT NOT NULL, sent_at INTEGER NOT NULL,
  status TEXT NOT NULL, gas_used TEXT NOT NULL DEFAULT '0', block TEXT NOT NULL DEFAULT '0', owner TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS txs_lane ON txs(lane, status);
CREATE INDEX IF NOT EXISTS txs_job ON txs(job_key);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

type Row = Record<string, unknown>;

export class SqliteStore implements KeeperStore {
  readonly path: string;
  private db: DatabaseSync;

  constructor(path = ":memory:") {
    this.path = path;
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA busy_timeout = 5000");
    if (path !== ":memory:") this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec(SCHEMA);
  }

  /** Run `fn` holding the database write lock (serialises claims across processes). */
  private locked<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const out = fn();
      this.db.exec("COMMIT");
      return out;
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  private job(key: string): Job | undefined {
    const r = this.db.prepare("SELECT * FROM jobs WHERE key = ?").get(key) as Row | undefined;
    return r ? rowToJob(r) : undefined;
  }

  private txs(sql: string, arg: string): TxRecord[] {
    return (this.db.prepare(sql).all(arg) as Row[]).map(rowToTx);
  }

  async claim(
    key: string,
    kind: string,
    market: string,
    owner: string,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ClaimResult> {
    return this.locked((): ClaimResult => {
      const existing = this.job(key);
      const lease = now + leaseMs;
      if (!existing) {
        this.db
          .prepare(
            "INSERT INTO jobs (key, kind, market, status, owner, lease_until, attempts, updated_at) VALUES (?, ?, ?, 'claimed', ?, ?, 1, ?)",
          )
          .run(key, kind, market, owner, lease, now);
        return { kind: "new", job: this.job(key)! };
      }
      const status = claimOver(existing, now);
      if (status === "taken") return { kind: "taken" };
      this.db
        .prepare(
          "UPDATE jobs SET status = ?, owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE key = ?",
        )
        .run(status, owner, lease, now, key);
      const job = this.job(key)!;
      if (status === "sent") return { kind: "inflight", job, txs: this.txsOf(key) };
      return { kind: "new", job };
    });
  }

  async renew(key: string, owner: string, leaseMs: number, now = Date.now()): Promise<boolean> {
    const r = this.db
      .prepare(
        "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE key = ? AND owner = ? AND status IN ('claimed', 'sent')",
      )
      .run(now + leaseMs, now, key, owner);
    return Number(r.changes) === 1;
  }

  async finish(
    key: string,
    owner: string | null,
    status: "done" | "dropped",
    note = "",
    retryAfterMs = 0,
  ): Promise<boolean> {
    const now = Date.now();
    // owner null: the outcome of the job's transaction decides, whoever holds the lease.
    const r = this.db
      .prepare(
        "UPDATE jobs SET status = ?, note = ?, retry_at = ?, lease_until = 0, updated_at = ? WHERE key = ? AND (owner = ? OR ? IS NULL) AND status IN ('claimed', 'sent')",
      )
      .run(status, note, now + retryAfterMs, now, key, owner, owner);
    return Number(r.changes) === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    this.db
      .prepare("UPDATE jobs SET lease_until = 0 WHERE key = ? AND owner = ? AND status = 'claimed'")
      .run(key, owner);
  }

  async getJob(key: string): Promise<Job | undefined> {
    return this.job(key);
  }

  async jobsByStatus(status: JobStatus): Promise<Job[]> {
    return (this.db.prepare("SELECT * FROM jobs WHERE status = ? ORDER BY key").all(status) as Row[]).map(rowToJob);
  }

  async countSent(prefix: string): Promise<number> {
    const r = this.db
      .prepare("SELECT COUNT(*) AS n FROM jobs WHERE status = 'sent' AND substr(key, 1, ?) = ?")
      .get(prefix.length, prefix) as Row;
    return Number(r.n);
  }

  async recordTx(tx: TxRecord, owner: string): Promise<void> {
    this.locked(() => {
      this.db
        .prepare(
          "INSERT INTO txs (hash, job_key, lane, nonce, raw, max_fee, max_priority, gas_limit, sent_at, status, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(...txRowValues(tx, owner));
      this.db.prepare("UPDATE jobs SET status = 'sent' WHERE key = ? AND status = 'claimed'").run(tx.jobKey);
    });
  }

  async updateTx(hash: `0x${string}`, status: string, gasUsed = 0n, block = 0n): Promise<void> {
    this.db
      .prepare("UPDATE txs SET status = ?, gas_used = ?, block = ? WHERE hash = ?")
      .run(status, gasUsed.toString(), block.toString(), hash);
  }

  private txsOf(jobKey: string): TxRecord[] {
    return this.txs("SELECT * FROM txs WHERE job_key = ? ORDER BY sent_at, rowid", jobKey);
  }

  async txsForJob(jobKey: string): Promise<TxRecord[]> {
    return this.txsOf(jobKey);
  }

  async pendingTxs(lane: `0x${string}`): Promise<TxRecord[]> {
    return this.txs(
      "SELECT * FROM txs WHERE lane = ? AND status = 'pending' ORDER BY nonce, sent_at, rowid",
      lane.toLowerCase(),
    );
  }

  async getCursor(name: string): Promise<string | undefined> {
    const r = this.db.prepare("SELECT value FROM cursors WHERE name = ?").get(name) as Row | undefined;
    return r ? String(r.value) : undefined;
  }

  async setCursor(name: string, value: string): Promise<void> {
    this.db
      .prepare("INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
      .run(name, value);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
