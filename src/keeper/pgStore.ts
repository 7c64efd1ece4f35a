// KeeperStore on PostgreSQL (node-postgres Pool), for keeper instances on several hosts sharing work.
// Same tables and claim rule as the SQLite store. Locking: a claim is one transaction that first
// tries `INSERT ... ON CONFLICT DO NOTHING` (a new key is ours at once; a concurrent insert of the
// same key waits for the other transaction and then does nothing), else locks the existing row with
// `SELECT ... FOR UPDATE` and applies `claimOver` to it, so of two claimers the second waits for
// the first to commit and then sees its lease. `recordTx` journals a transaction and marks its job
// `sent` in one transaction. Amounts are NUMERIC(78,0) (any uint256), times BIGINT milliseconds.
import pg from "pg";
import { claimOver, rowToJob, rowToTx, txRowValues } from "./store.ts";
import type { ClaimResult, Job, JobStatus, KeeperStore, TxRecord } from "./store.ts";

export type PgStoreOptions = {
  /** Keep the tables in this schema (created if missing), e.g. one per test or per deployment. */
  schema?: string;
  /** Connections in the pool (default 4). */
  max?: number;
};

const schemaDdl = (s: string) => `
CREATE TABLE IF NOT EXISTS ${s}jobs (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, market TEXT NOT NULL, status TEXT NOT NULL,
  owner TEXT NOT NULL, lease_until BIGINT NOT NULL, attempts INTEGER NOT NULL,
  retry_at BIGINT NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_status ON ${s}jobs(status);
CREATE TABLE IF NOT EXISTS ${s}txs (
  seq BIGSERIAL NOT NULL, hash TEXT PRIMARY KEY, job_key TEXT NOT NULL, lane TEXT NOT NULL, nonce BIGINT NOT NULL,
  raw TEXT NOT NULL, max_fee NUMERIC(78, 0) NOT NULL, max_priority NUMERIC(78, 0) NOT NULL,
  gas_limit NUMERIC(78, 0) NOT NULL, sent_at BIGINT NOT NULL, status TEXT NOT NULL,
  gas_used NUMERIC(78, 0) NOT NULL DEFAULT 0, block NUMERIC(78, 0) NOT NULL DEFAULT 0, owner TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS txs_lane ON ${s}txs(lane, status);
CREATE INDEX IF NOT EXISTS txs_job ON ${s}txs(job_key);
CREATE TABLE IF NOT EXISTS ${s}cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

type Queryable = Pick<pg.PoolClient, "query">;
type Row = Record<string, unknown>;

export class PgStore implements KeeperStore {
  private pool: pg.Pool;
  private t: { jobs: string; txs: string; cursors: string };
  private schema: string | undefined;
  private prefix: string;
  private closed = false;

  /** Connect, create the schema and tables if missing (safe when several keepers start at once). */
  static async open(url: string, o: PgStoreOptions = {}): Promise<PgStore> {
    const store = new PgStore(url, o);
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  private constructor(url: string, o: PgStoreOptions) {
    if (o.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(o.schema))
      throw new Error(`PostgreSQL schema name ${JSON.stringify(o.schema)} must match [a-z_][a-z0-9_]*`);
    this.schema = o.schema;
    this.prefix = o.schema ? `${pg.escapeIdentifier(o.schema)}.` : "";
    this.t = { jobs: `${this.prefix}jobs`, txs: `${this.prefix}txs`, cursors: `${this.prefix}cursors` };
    this.pool = new pg.Pool({
      connectionString: url,
      max: o.max ?? 4,
      application_name: "dexetra-keeper",
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      // A keeper that hangs inside a claim must not hold the row lock for ever.
      idle_in_transaction_session_timeout: 30_000,
    });
    // An idle connection that breaks (server restart) is dropped from the pool; the next query
    // reconnects or fails with the real error, so nothing is lost by not throwing here.
    this.pool.on("error", () => undefined);
  }

  private async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: one keeper at a time.
      await c.query("SELECT pg_advisory_xact_lock(hashtext('dexetra.keeper.schema'))");
      if (this.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.schema)}`);
      await c.query(schemaDdl(this.prefix));
    });
  }

  /** Run `fn` in one transaction on one connection. */
  private async tx<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query("BEGIN");
      const out = await fn(c);
      await c.query("COMMIT");
      return out;
    } catch (err) {
      await c.query("ROLLBACK").catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw err;
    } finally {
      c.release(broken); // a connection that cannot even roll back is discarded
    }
  }

  private async rows(sql: string, params: unknown[], c: Queryable = this.pool): Promise<Row[]> {
    return (await c.query(sql, params)).rows as Row[];
  }

  async claim(
    key: string,
    kind: string,
    market: string,
    owner: string,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ClaimResult> {
    const lease = now + leaseMs;
    return this.tx(async (c): Promise<ClaimResult> => {
      const [created] = await this.rows(
        `INSERT INTO ${this.t.jobs} (key, kind, market, status, owner, lease_until, attempts, updated_at)
         VALUES ($1, $2, $3, 'claimed', $4, $5, 1, $6) ON CONFLICT (key) DO NOTHING RETURNING *`,
        [key, kind, market, owner, lease, now],
        c,
      );
      if (created) return { kind: "new", job: rowToJob(created) };
      const [row] = await this.rows(`SELECT * FROM ${this.t.jobs} WHERE key = $1 FOR UPDATE`, [key], c);
      if (!row) throw new Error(`job ${key} vanished during its claim`);
      const status = claimOver(rowToJob(row), now);
      if (status === "taken") return { kind: "taken" };
      const [taken] = await this.rows(
        `UPDATE ${this.t.jobs} SET status = $2, owner = $3, lease_until = $4, attempts = attempts + 1, updated_at = $5
         WHERE key = $1 RETURNING *`,
        [key, status, owner, lease, now],
        c,
      );
      const job = rowToJob(taken!);
      if (status === "sent") return { kind: "inflight", job, txs: await this.txsForJob(key, c) };
      return { kind: "new", job };
    });
  }

  async renew(key: string, owner: string, leaseMs: number, now = Date.now()): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE ${this.t.jobs} SET lease_until = $3, updated_at = $4
       WHERE key = $1 AND owner = $2 AND status IN ('claimed', 'sent')`,
      [key, owner, now + leaseMs, now],
    );
    return r.rowCount === 1;
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
    const r = await this.pool.query(
      `UPDATE ${this.t.jobs} SET status = $3, note = $4, retry_at = $5, lease_until = 0, updated_at = $6
       WHERE key = $1 AND ($2::text IS NULL OR owner = $2) AND status IN ('claimed', 'sent')`,
      [key, owner, status, note, now + retryAfterMs, now],
    );
    return r.rowCount === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.t.jobs} SET lease_until = 0 WHERE key = $1 AND owner = $2 AND status = 'claimed'`,
      [key, owner],
    );
  }

  async getJob(key: string): Promise<Job | undefined> {
    const [r] = await this.rows(`SELECT * FROM ${this.t.jobs} WHERE key = $1`, [key]);
    return r ? rowToJob(r) : undefined;
  }

  async jobsByStatus(status: JobStatus): Promise<Job[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    const rows = await this.rows(`SELECT * FROM ${this.t.jobs} WHERE status = $1 ORDER BY key COLLATE "C"`, [status]);
    return rows.map(rowToJob);
  }

  async countSent(prefix: string): Promise<number> {
    const [r] = await this.rows(
      `SELECT COUNT(*) AS n FROM ${this.t.jobs} WHERE status = 'sent' AND starts_with(key, $1)`,
      [prefix],
    );
    return Number(r!.n);
  }

  async recordTx(tx: TxRecord, owner: string): Promise<void> {
    await this.tx(async (c) => {
      await c.query(
        `INSERT INTO ${this.t.txs} (hash, job_key, lane, nonce, raw, max_fee, max_priority, gas_limit, sent_at, status, owner)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        txRowValues(tx, owner),
      );
      await c.query(`UPDATE ${this.t.jobs} SET status = 'sent' WHERE key = $1 AND status = 'claimed'`, [tx.jobKey]);
    });
  }

  async updateTx(hash: `0x${string}`, status: string, gasUsed = 0n, block = 0n): Promise<void> {
    await this.pool.query(`UPDATE ${this.t.txs} SET status = $2, gas_used = $3, block = $4 WHERE hash = $1`, [
      hash,
      status,
      gasUsed.toString(),
      block.toString(),
    ]);
  }

  async txsForJob(jobKey: string, c: Queryable = this.pool): Promise<TxRecord[]> {
    const rows = await this.rows(`SELECT * FROM ${this.t.txs} WHERE job_key = $1 ORDER BY sent_at, seq`, [jobKey], c);
    return rows.map(rowToTx);
  }

  async pendingTxs(lane: `0x${string}`): Promise<TxRecord[]> {
    const rows = await this.rows(
      `SELECT * FROM ${this.t.txs} WHERE lane = $1 AND status = 'pending' ORDER BY nonce, sent_at, seq`,
      [lane.toLowerCase()],
    );
    return rows.map(rowToTx);
  }

  async getCursor(name: string): Promise<string | undefined> {
    const [r] = await this.rows(`SELECT value FROM ${this.t.cursors} WHERE name = $1`, [name]);
    return r ? String(r.value) : undefined;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.t.cursors} (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      [name, value],
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
