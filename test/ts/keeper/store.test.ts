import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { SqliteStore } from "../../../src/keeper/sqliteStore.ts";
import type { TxRecord } from "../../../src/keeper/store.ts";

const tx = (over: Partial<TxRecord>): TxRecord => ({
  hash: "0x01",
  jobKey: "k",
  lane: "0xaa",
  nonce: 0,
  raw: "0x",
  maxFeePerGas: 2n,
  maxPriorityFeePerGas: 1n,
  gasLimit: 100_000n,
  sentAt: 0,
  status: "pending",
  gasUsed: 0n,
  block: 0n,
  ...over,
});

describe("SqliteStore claims", () => {
  it("test_claim_secondOwnerRefusedWhileLeaseHeld", () => {
    const s = new SqliteStore();
    assert.equal(s.claim("j", "liquidate", "m", "a", 1000, 0).kind, "new");
    assert.equal(s.claim("j", "liquidate", "m", "b", 1000, 500).kind, "taken");
    assert.equal(s.claim("j", "liquidate", "m", "a", 1000, 500).kind, "taken");
  });

  it("test_claim_expiredLeaseWithoutTxIsTakenOver", () => {
    const s = new SqliteStore();
    s.claim("j", "liquidate", "m", "a", 1000, 0);
    const r = s.claim("j", "liquidate", "m", "b", 1000, 1001);
    assert.equal(r.kind, "new");
    assert.equal(s.getJob("j")?.owner, "b");
    assert.equal(s.getJob("j")?.attempts, 2);
    assert.equal(s.finish("j", "a", "done"), false, "the old owner lost the job");
    assert.equal(s.finish("j", "b", "done"), true);
  });

  it("test_claim_expiredLeaseWithTxReturnsInflightNeverNew", () => {
    const s = new SqliteStore();
    s.claim("j", "liquidate", "m", "a", 1000, 0);
    s.recordTx(tx({ hash: "0xaa01", jobKey: "j" }), "a");
    const r = s.claim("j", "liquidate", "m", "b", 1000, 5000);
    assert.equal(r.kind, "inflight");
    assert.equal(r.kind === "inflight" && r.txs[0]?.hash, "0xaa01");
  });

  it("test_claim_doneIsFinalDroppedRetriesAfterDelay", () => {
    const s = new SqliteStore();
    s.claim("d", "poke", "m", "a", 1000);
    s.finish("d", "a", "done");
    assert.equal(s.claim("d", "poke", "m", "b", 1000, Date.now() + 10 ** 9).kind, "taken");
    s.claim("x", "poke", "m", "a", 1000);
    s.finish("x", "a", "dropped", "reverted", 60_000);
    assert.equal(s.claim("x", "poke", "m", "b", 1000).kind, "taken");
    assert.equal(s.claim("x", "poke", "m", "b", 1000, Date.now() + 61_000).kind, "new");
  });

  it("test_finish_nullOwnerSettlesBySentTx", () => {
    const s = new SqliteStore();
    s.claim("j", "liquidate", "m", "a", 1000, 0);
    s.recordTx(tx({ hash: "0xaa02", jobKey: "j" }), "a");
    assert.equal(s.getJob("j")?.status, "sent");
    assert.equal(s.finish("j", null, "done", "0xaa02"), true);
    assert.equal(s.finish("j", null, "done"), false, "finished once");
  });

  it("test_pendingTxs_perLaneUntilUpdated", () => {
    const s = new SqliteStore();
    s.recordTx(tx({ hash: "0x1", lane: "0xAA", nonce: 1 }), "a");
    s.recordTx(tx({ hash: "0x2", lane: "0xaa", nonce: 0 }), "a");
    s.recordTx(tx({ hash: "0x3", lane: "0xbb", nonce: 0 }), "a");
    assert.deepEqual(
      s.pendingTxs("0xaa").map((t) => t.hash),
      ["0x2", "0x1"],
    );
    s.updateTx("0x2", "mined", 21_000n, 5n);
    assert.deepEqual(
      s.pendingTxs("0xaa").map((t) => t.hash),
      ["0x1"],
    );
    assert.equal(s.txsForJob("k").find((t) => t.hash === "0x2")?.gasUsed, 21_000n);
  });

  it("test_cursor_survivesReopen", () => {
    const file = join(mkdtempSync(join(tmpdir(), "keeper-store-")), "k.sqlite");
    const a = new SqliteStore(file);
    a.setCursor("c", "41");
    a.setCursor("c", "42");
    a.close();
    const b = new SqliteStore(file);
    assert.equal(b.getCursor("c"), "42");
    assert.equal(b.getCursor("none"), undefined);
    b.close();
  });
});

describe("SqliteStore shared by several processes", () => {
  it("test_claim_racingProcessesTakeEachJobOnce", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "keeper-shared-")), "k.sqlite");
    new SqliteStore(file).close();
    const storeUrl = new URL("../../../src/keeper/sqliteStore.ts", import.meta.url).href;
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(storeUrl)});
      const s = new SqliteStore(process.argv[1]);
      const won = [];
      for (let i = 0; i < 200; i++) if (s.claim("job-" + i, "liquidate", "m", process.argv[2], 60000).kind === "new") won.push(i);
      process.stdout.write(JSON.stringify(won));
      s.close();`;
    const run = (owner: string) =>
      new Promise<number[]>((resolve, reject) => {
        const p = spawn(process.execPath, ["--no-warnings", "--input-type=module", "-e", script, file, owner]);
        let out = "";
        p.stdout.on("data", (d: Buffer) => (out += d.toString()));
        p.on("error", reject);
        p.on("close", (code) =>
          code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`exit ${code}`)),
        );
      });
    const results = await Promise.all(["p1", "p2", "p3", "p4"].map(run));
    const all = results.flat().sort((a, b) => a - b);
    assert.equal(all.length, 200, "every job taken by exactly one process");
    assert.deepEqual(all, [...Array(200).keys()]);
  });
});
