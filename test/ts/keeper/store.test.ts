// The KeeperStore contract, run against both stores: SQLite (a temp file) and PostgreSQL (a real
// throwaway cluster, one schema per test). Then what only a shared store must show: racing claims
// from two instances on one key, decided once.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { SqliteStore } from "../../../src/keeper/sqliteStore.ts";
import { PgStore } from "../../../src/keeper/pgStore.ts";
import type { KeeperStore, TxRecord } from "../../../src/keeper/store.ts";
import { startPostgres, type PgCluster } from "../helpers/postgres.ts";

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

/** A store backend: `place()` makes a new empty place (file, schema) and returns its opener. */
type Backend = {
  name: string;
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  place: () => () => Promise<KeeperStore>;
};

let cluster: PgCluster | undefined;
const backends: Backend[] = [
  {
    name: "SqliteStore",
    place: () => {
      const file = join(mkdtempSync(join(tmpdir(), "keeper-store-")), "k.sqlite");
      return async () => new SqliteStore(file);
    },
  },
  {
    name: "PgStore",
    setup: async () => {
      cluster = await startPostgres();
    },
    teardown: async () => cluster?.stop(),
    place: () => {
      const schema = cluster!.freshSchema();
      return () => PgStore.open(cluster!.url, { schema });
    },
  },
];

for (const b of backends) {
  describe(`${b.name}: the store contract`, () => {
    const opened: KeeperStore[] = [];
    /** Open `n` instances at once on one new place (n > 1: several keepers starting together). */
    const open = async (n = 1): Promise<KeeperStore[]> => {
      const opener = b.place();
      const out = await Promise.all(Array.from({ length: n }, () => opener()));
      opened.push(...out);
      return out;
    };
    const one = async () => (await open(1))[0]!;

    if (b.setup) before(b.setup);
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    if (b.teardown) after(b.teardown);

    it("test_claim_secondOwnerRefusedWhileLeaseHeld", async () => {
      const s = await one();
      assert.equal((await s.claim("j", "liquidate", "m", "a", 1000, 0)).kind, "new");
      assert.equal((await s.claim("j", "liquidate", "m", "b", 1000, 500)).kind, "taken");
      assert.equal((await s.claim("j", "liquidate", "m", "a", 1000, 500)).kind, "taken");
      assert.equal((await s.getJob("j"))?.owner, "a");
    });

    it("test_claim_expiredLeaseWithoutTxIsTakenOver", async () => {
      const s = await one();
      await s.claim("j", "liquidate", "m", "a", 1000, 0);
      const r = await s.claim("j", "liquidate", "m", "b", 1000, 1001);
      assert.equal(r.kind, "new");
      assert.equal((await s.getJob("j"))?.owner, "b");
      assert.equal((await s.getJob("j"))?.attempts, 2);
      assert.equal(await s.finish("j", "a", "done"), false, "the old owner lost the job");
      assert.equal(await s.finish("j", "b", "done"), true);
    });

    it("test_claim_expiredLeaseWithTxReturnsInflightNeverNew", async () => {
      const s = await one();
      await s.claim("j", "liquidate", "m", "a", 1000, 0);
      await s.recordTx(tx({ hash: "0xaa01", jobKey: "j" }), "a");
      const r = await s.claim("j", "liquidate", "m", "b", 1000, 5000);
      assert.equal(r.kind, "inflight");
      assert.equal(r.kind === "inflight" && r.job.owner, "b");
      assert.deepEqual(r.kind === "inflight" && r.txs.map((t) => t.hash), ["0xaa01"]);
    });

    it("test_claim_doneIsFinalDroppedRetriesAfterDelay", async () => {
      const s = await one();
      await s.claim("d", "poke", "m", "a", 1000);
      await s.finish("d", "a", "done");
      assert.equal((await s.claim("d", "poke", "m", "b", 1000, Date.now() + 10 ** 9)).kind, "taken");
      await s.claim("x", "poke", "m", "a", 1000);
      await s.finish("x", "a", "dropped", "reverted", 60_000);
      assert.equal((await s.getJob("x"))?.note, "reverted");
      assert.equal((await s.claim("x", "poke", "m", "b", 1000)).kind, "taken");
      assert.equal((await s.claim("x", "poke", "m", "b", 1000, Date.now() + 61_000)).kind, "new");
    });

    it("test_renewAndRelease_onlyTheOwnerExtendsOrGivesBack", async () => {
      const s = await one();
      await s.claim("j", "liquidate", "m", "a", 1000, 0);
      assert.equal(await s.renew("j", "b", 10_000, 500), false, "not b's lease");
      assert.equal(await s.renew("j", "a", 10_000, 500), true);
      assert.equal((await s.getJob("j"))?.leaseUntil, 10_500);
      assert.equal((await s.claim("j", "liquidate", "m", "b", 1000, 5000)).kind, "taken", "renewed lease holds");
      await s.release("j", "b");
      assert.equal((await s.claim("j", "liquidate", "m", "b", 1000, 5000)).kind, "taken", "b cannot release it");
      await s.release("j", "a");
      assert.equal((await s.claim("j", "liquidate", "m", "b", 1000, 5000)).kind, "new", "released: free at once");
      assert.equal(await s.renew("j", "a", 10_000, 5000), false, "a lost it");
    });

    it("test_finish_nullOwnerSettlesBySentTx", async () => {
      const s = await one();
      await s.claim("j", "liquidate", "m", "a", 1000, 0);
      await s.recordTx(tx({ hash: "0xaa02", jobKey: "j" }), "a");
      assert.equal((await s.getJob("j"))?.status, "sent");
      assert.deepEqual(
        (await s.jobsByStatus("sent")).map((j) => j.key),
        ["j"],
      );
      assert.equal(await s.finish("j", null, "done", "0xaa02"), true);
      assert.equal(await s.finish("j", null, "done"), false, "finished once");
      assert.deepEqual(await s.jobsByStatus("sent"), []);
    });

    it("test_recordTx_journalAndSentStatusTogetherOrNeither", async () => {
      const s = await one();
      await s.claim("j1", "liquidate", "m", "a", 1000, 0);
      await s.claim("j2", "liquidate", "m", "a", 1000, 0);
      await s.recordTx(tx({ hash: "0xdup", jobKey: "j1" }), "a");
      await assert.rejects(s.recordTx(tx({ hash: "0xdup", jobKey: "j2" }), "a"), "a hash is journaled once");
      assert.equal((await s.getJob("j2"))?.status, "claimed", "failed journal entry: job not marked sent");
      assert.deepEqual(await s.txsForJob("j2"), []);
    });

    it("test_countSent_byKeyPrefixOnlySentJobs", async () => {
      const s = await one();
      for (const k of ["liq:0xb1:u1", "liq:0xb1:u2", "liq:0xb2:u1", "poke:0xb1:1"])
        await s.claim(k, "x", "m", "a", 1000);
      assert.equal(await s.countSent("liq:0xb1:"), 0, "claimed is not sent");
      await s.recordTx(tx({ hash: "0x1", jobKey: "liq:0xb1:u1" }), "a");
      await s.recordTx(tx({ hash: "0x2", jobKey: "liq:0xb2:u1" }), "a");
      await s.recordTx(tx({ hash: "0x3", jobKey: "poke:0xb1:1" }), "a");
      assert.equal(await s.countSent("liq:0xb1:"), 1);
      assert.equal(await s.countSent("liq:"), 2);
      assert.equal(await s.countSent("poke:0xb1:"), 1);
      assert.equal(await s.countSent("liq:0xb3:"), 0);
    });

    it("test_pendingTxs_perLaneUntilUpdated", async () => {
      const s = await one();
      await s.recordTx(tx({ hash: "0x1", lane: "0xAA", nonce: 1 }), "a");
      await s.recordTx(tx({ hash: "0x2", lane: "0xaa", nonce: 0 }), "a");
      await s.recordTx(tx({ hash: "0x3", lane: "0xbb", nonce: 0 }), "a");
      assert.deepEqual(
        (await s.pendingTxs("0xaa")).map((t) => t.hash),
        ["0x2", "0x1"],
      );
      await s.updateTx("0x2", "mined", 21_000n, 5n);
      assert.deepEqual(
        (await s.pendingTxs("0xAA")).map((t) => t.hash),
        ["0x1"],
      );
      const mined = (await s.txsForJob("k")).find((t) => t.hash === "0x2");
      assert.equal(mined?.status, "mined");
      assert.equal(mined?.gasUsed, 21_000n);
      assert.equal(mined?.block, 5n);
    });

    it("test_txs_roundTripExactlyOldestFirst", async () => {
      const s = await one();
      const big = 2n ** 256n - 1n; // any uint256 fee survives, no float anywhere
      const sentAt = 1_893_456_000_123; // 2030 in ms: past 2^31
      const first = tx({ hash: "0xa", jobKey: "j", nonce: 7, maxFeePerGas: big, gasLimit: 2n ** 63n, sentAt });
      await s.recordTx(first, "a");
      await s.recordTx(tx({ hash: "0xc", jobKey: "j", nonce: 7, sentAt }), "a");
      await s.recordTx(tx({ hash: "0xb", jobKey: "j", nonce: 7, sentAt }), "a");
      const txs = await s.txsForJob("j");
      assert.deepEqual(
        txs.map((t) => t.hash),
        ["0xa", "0xc", "0xb"],
        "same sentAt: journal order",
      );
      assert.deepEqual(txs[0], first);
      await s.updateTx("0xa", "mined", big - 1n, 2n ** 70n);
      const [u] = await s.txsForJob("j");
      assert.equal(u?.gasUsed, big - 1n);
      assert.equal(u?.block, 2n ** 70n);
      await s.claim("t", "poke", "m", "a", 5, sentAt);
      assert.equal((await s.getJob("t"))?.leaseUntil, sentAt + 5);
    });

    it("test_jobsByStatus_byteOrderOfKeys", async () => {
      const s = await one();
      for (const k of ["b", "a", "B", "_x", "a:1"]) await s.claim(k, "poke", "m", "o", 1000);
      assert.deepEqual(
        (await s.jobsByStatus("claimed")).map((j) => j.key),
        ["B", "_x", "a", "a:1", "b"],
      );
    });

    it("test_cursor_survivesReopen", async () => {
      const opener = b.place();
      const a = await opener();
      await a.setCursor("c", "41");
      await a.setCursor("c", "42");
      await a.close();
      const r = await opener();
      opened.push(r);
      assert.equal(await r.getCursor("c"), "42");
      assert.equal(await r.getCursor("none"), undefined);
    });

    it("test_claim_twoInstancesRacingOnOneKeyOneWinsEveryTime", async () => {
      const [a, c] = await open(2);
      for (let round = 0; round < 50; round++) {
        const key = `race-${round}`;
        const r = await Promise.all([
          a!.claim(key, "liquidate", "m", "A", 60_000),
          c!.claim(key, "liquidate", "m", "C", 60_000),
        ]);
        assert.equal(r.filter((x) => x.kind === "new").length, 1, `${key}: ${JSON.stringify(r.map((x) => x.kind))}`);
        const winner = r[0]!.kind === "new" ? "A" : "C";
        assert.equal((await a!.getJob(key))?.owner, winner);
      }
    });

    it("test_claim_twoInstancesRacingForExpiredLeasesTakeEachOnce", async () => {
      // Existing rows: the racers meet in the row lock, not in the primary key.
      const [a, c] = await open(2);
      const keys = [...Array(40).keys()].map((i) => `stale-${i}`);
      for (const k of keys) await a!.claim(k, "liquidate", "m", "dead", 1000, 0);
      const claims = keys.flatMap((k) => [
        a!.claim(k, "liquidate", "m", "A", 60_000, 5000),
        c!.claim(k, "liquidate", "m", "C", 60_000, 5000),
      ]);
      const r = await Promise.all(claims);
      for (let i = 0; i < keys.length; i++) {
        const pair = [r[2 * i]!, r[2 * i + 1]!];
        assert.equal(pair.filter((x) => x.kind === "new").length, 1, `${keys[i]}: ${pair.map((x) => x.kind)}`);
        assert.equal((await c!.getJob(keys[i]!))?.attempts, 2, "taken over once");
      }
    });
  });
}

describe("SqliteStore shared by several processes", () => {
  it("test_claim_racingProcessesTakeEachJobOnce", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "keeper-shared-")), "k.sqlite");
    await new SqliteStore(file).close();
    const storeUrl = new URL("../../../src/keeper/sqliteStore.ts", import.meta.url).href;
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(storeUrl)});
      const s = new SqliteStore(process.argv[1]);
      const won = [];
      for (let i = 0; i < 200; i++)
        if ((await s.claim("job-" + i, "liquidate", "m", process.argv[2], 60000)).kind === "new") won.push(i);
      process.stdout.write(JSON.stringify(won));
      await s.close();`;
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
