// The monitor's persisted state (node:sqlite): the event cursor, the ids of events already handled
// (so a reorg re-read never handles one twice), the active alerts (so a restart does not raise them
// again) and an outbox of alert notifications delivered at least once, each with a stable id.
import { DatabaseSync } from "node:sqlite";
import type { Alert } from "./rules.ts";

export type Notice = { id: string; kind: "raised" | "cleared" | "event"; alert: Alert; at: string };

export class MonitorStore {
  private db: DatabaseSync;

  constructor(path = ":memory:") {
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA busy_timeout = 5000");
    if (path !== ":memory:") this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, block INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS seen_block ON seen(block);
      CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS active (key TEXT PRIMARY KEY, grp TEXT NOT NULL, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL, delivered INTEGER NOT NULL DEFAULT 0);
    `);
  }

  tx<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const r = fn();
      this.db.exec("COMMIT");
      return r;
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }

  getCursor(name: string): bigint | undefined {
    const r = this.db.prepare("SELECT value FROM cursors WHERE name = ?").get(name) as { value: string } | undefined;
    return r ? BigInt(r.value) : undefined;
  }
  setCursor(name: string, v: bigint): void {
    this.db
      .prepare("INSERT INTO cursors VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
      .run(name, v.toString());
  }
  seenInRange(from: bigint, to: bigint): Set<string> {
    const rows = this.db.prepare("SELECT id FROM seen WHERE block BETWEEN ? AND ?").all(Number(from), Number(to)) as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  }
  markSeen(id: string, block: bigint): boolean {
    return Number(this.db.prepare("INSERT OR IGNORE INTO seen VALUES (?, ?)").run(id, Number(block)).changes) === 1;
  }
  unsee(id: string): void {
    this.db.prepare("DELETE FROM seen WHERE id = ?").run(id);
  }
  pruneSeen(below: bigint): void {
    this.db.prepare("DELETE FROM seen WHERE block < ?").run(Number(below));
  }

  getState<T>(name: string, fallback: T): T {
    const r = this.db.prepare("SELECT json FROM state WHERE name = ?").get(name) as { json: string } | undefined;
    return r ? (JSON.parse(r.json) as T) : fallback;
  }
  setState(name: string, v: unknown): void {
    this.db
      .prepare("INSERT INTO state VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET json = excluded.json")
      .run(name, JSON.stringify(v));
  }

  active(group?: string): Alert[] {
    const rows = (
      group
        ? this.db.prepare("SELECT json FROM active WHERE grp = ? ORDER BY key").all(group)
        : this.db.prepare("SELECT json FROM active ORDER BY key").all()
    ) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as Alert);
  }
  setActive(group: string, a: Alert): void {
    this.db
      .prepare("INSERT INTO active VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET json = excluded.json")
      .run(a.key, group, JSON.stringify(a));
  }
  clearActive(key: string): void {
    this.db.prepare("DELETE FROM active WHERE key = ?").run(key);
  }

  /** Queue a notice; false if one with this id was queued before (a one-off alert seen again). */
  enqueue(n: Notice): boolean {
    return (
      Number(
        this.db.prepare("INSERT OR IGNORE INTO outbox (id, json) VALUES (?, ?)").run(n.id, JSON.stringify(n)).changes,
      ) === 1
    );
  }
  undelivered(limit = 100): Notice[] {
    return (
      this.db.prepare("SELECT json FROM outbox WHERE delivered = 0 ORDER BY seq LIMIT ?").all(limit) as {
        json: string;
      }[]
    ).map((r) => JSON.parse(r.json) as Notice);
  }
  markDelivered(id: string): void {
    this.db.prepare("UPDATE outbox SET delivered = 1 WHERE id = ?").run(id);
  }
  notices(): Notice[] {
    return (this.db.prepare("SELECT json FROM outbox ORDER BY seq").all() as { json: string }[]).map(
      (r) => JSON.parse(r.json) as Notice,
    );
  }
  close(): void {
    this.db.close();
  }
}
