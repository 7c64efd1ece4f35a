// Durable relayer state in embedded SQLite (node:sqlite): the per-route block cursor and every
// message seen, with its delivery status. Scanning a block range and recording its messages
// happen in one transaction, so a crash can never advance the cursor past an unrecorded message.
import { DatabaseSync } from "node:sqlite";
import type { Hex } from "viem";
import type { CollateralMessage, Status, TrackedMessage } from "./types.ts";

type Row = {
  id: string;
  route: string;
  payload: string;
  src_block: string;
  src_tx: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  delivery_tx: string | null;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cursors (route TEXT PRIMARY KEY, block TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY,
  route TEXT NOT NULL,
  payload TEXT NOT NULL,
  src_block TEXT NOT NULL,
  src_tx TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  delivery_tx TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_due ON messages (status, next_attempt_at);
`;

function encode(m: CollateralMessage): string {
  return JSON.stringify(m, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

function decode(s: string): CollateralMessage {
  const o = JSON.parse(s) as Record<string, string | number>;
  return {
    kind: Number(o.kind),
    srcChainId: BigInt(o.srcChainId as string),
    srcContract: o.srcContract as Hex,
    dstChainId: BigInt(o.dstChainId as string),
    dstContract: o.dstContract as Hex,
    nonce: BigInt(o.nonce as string),
    user: o.user as Hex,
    amount: BigInt(o.amount as string),
  };
}

function fromRow(r: Row): TrackedMessage {
  return {
    id: r.id as Hex,
    route: r.route,
    message: decode(r.payload),
    srcBlock: BigInt(r.src_block),
    srcTx: r.src_tx as Hex,
    status: r.status as Status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    deliveryTx: r.delivery_tx as Hex | null,
  };
}

export type NewMessage = { id: Hex; message: CollateralMessage; srcBlock: bigint; srcTx: Hex };

export class RelayerStore {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    this.#db.exec(SCHEMA);
  }

  close(): void {
    this.#db.close();
  }

  cursor(route: string): bigint | undefined {
    const r = this.#db.prepare("SELECT block FROM cursors WHERE route = ?").get(route) as { block: string } | undefined;
    return r ? BigInt(r.block) : undefined;
  }

  /** Record the messages of a scanned range and move the cursor to `toBlock`, atomically.
   * A message already known (same id) is left as it is: rescanning never duplicates work. */
  recordScan(route: string, toBlock: bigint, found: NewMessage[], now: number): number {
    const insert = this.#db.prepare(
      `INSERT OR IGNORE INTO messages (id, route, payload, src_block, src_tx, status, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    );
    let added = 0;
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      for (const f of found) {
        const res = insert.run(f.id, route, encode(f.message), f.srcBlock.toString(), f.srcTx, now);
        added += Number(res.changes);
      }
      this.#db
        .prepare(
          "INSERT INTO cursors (route, block) VALUES (?, ?) ON CONFLICT(route) DO UPDATE SET block = excluded.block",
        )
        .run(route, toBlock.toString());
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
    return added;
  }

  due(now: number, limit: number): TrackedMessage[] {
    const rows = this.#db
      .prepare(
        "SELECT * FROM messages WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY CAST(src_block AS INTEGER), route, id LIMIT ?",
      )
      .all(now, limit) as Row[];
    return rows.map(fromRow);
  }

  get(id: Hex): TrackedMessage | undefined {
    const r = this.#db.prepare("SELECT * FROM messages WHERE id = ?").get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  all(): TrackedMessage[] {
    return (
      this.#db.prepare("SELECT * FROM messages ORDER BY CAST(src_block AS INTEGER), route, id").all() as Row[]
    ).map(fromRow);
  }

  markDelivered(id: Hex, tx: Hex | null, now: number): void {
    this.#db
      .prepare(
        "UPDATE messages SET status = 'delivered', delivery_tx = ?, last_error = NULL, updated_at = ? WHERE id = ?",
      )
      .run(tx, now, id);
  }

  /** A delivery transaction was sent; kept so an operator can trace it after a crash. */
  markSending(id: Hex, tx: Hex, now: number): void {
    this.#db.prepare("UPDATE messages SET delivery_tx = ?, updated_at = ? WHERE id = ?").run(tx, now, id);
  }

  /** A transient failure: try again at `nextAttemptAt`. */
  markRetry(id: Hex, attempts: number, nextAttemptAt: number, error: string, now: number): void {
    this.#db
      .prepare("UPDATE messages SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?")
      .run(attempts, nextAttemptAt, error, now, id);
  }

  /** The destination refused the message for good (or retries ran out): kept with its reason. */
  markFailed(id: Hex, attempts: number, error: string, now: number): void {
    this.#db
      .prepare("UPDATE messages SET status = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?")
      .run(attempts, error, now, id);
  }

  /** Operator action: put a failed message back in the queue (e.g. after raising a limit). */
  requeue(id: Hex, now: number): boolean {
    const res = this.#db
      .prepare(
        "UPDATE messages SET status = 'pending', attempts = 0, next_attempt_at = 0, updated_at = ? WHERE id = ? AND status = 'failed'",
      )
      .run(now, id);
    return Number(res.changes) === 1;
  }

  counts(): Record<Status, number> {
    const out: Record<Status, number> = { pending: 0, delivered: 0, failed: 0 };
    const rows = this.#db.prepare("SELECT status, COUNT(*) AS n FROM messages GROUP BY status").all() as {
      status: Status;
      n: number;
    }[];
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}
