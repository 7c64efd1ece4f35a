// `dexetra keeper`, `dexetra monitor` and `dexetra dashboard` through the real CLI, on a live system.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { network } from "hardhat";
import type { EIP1193Provider } from "viem";
import { fromProvider, type ChainConn } from "../../../src/chain/connect.ts";
import { writeRecord } from "../../../src/config/record.ts";
import { buildCascade, cascadeRecord, type Cascade } from "../../../src/keeper/scenario.ts";
import { openCount } from "../../../src/keeper/drive.ts";
import { PgStore } from "../../../src/keeper/pgStore.ts";
import { cliRunner } from "../helpers/cli.ts";
import { startPostgres, type PgCluster } from "../helpers/postgres.ts";

describe("dexetra keeper / monitor / dashboard", () => {
  let c: Cascade;
  let cli: ReturnType<typeof cliRunner>;
  let pg: PgCluster;

  before(async () => {
    pg = await startPostgres();
    const hh = await network.create("hub");
    c = await buildCascade(hh, { symbols: ["ETH-USD", "BTC-USD"], victims: 2 });
    const conn: ChainConn = await fromProvider("hub", hh.provider as unknown as EIP1193Provider, true);
    cli = cliRunner({ hub: conn });
    writeRecord(join(cli.env.DEXETRA_DEPLOYMENTS_DIR!, "hub.json"), cascadeRecord(c, "hub"));
  });

  after(async () => pg.stop());

  it("test_RevertWhen_badStoreRefusedBeforeTheKeeperActs", async () => {
    const blocks = await c.client.getBlockNumber();
    const open = await openCount(c);
    const bad = await cli.run(["keeper", "--once", "--json", "--store", "postgres://ops:s3cret@db:port/keeper"]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.equal(bad.json().error.code, "E_BAD_FLAG");
    assert.match(bad.stderr, /--store is not a valid PostgreSQL URL/);
    const scheme = await cli.run(["keeper", "--once", "--store", "mysql://db/keeper"]);
    assert.equal(scheme.code, 2);
    assert.match(scheme.stderr, /--store mysql:\/\/db\/keeper: only postgres:\/\/ URLs or SQLite file paths/);
    const env = await cli.run(["keeper", "--once"], { env: { DEXETRA_KEEPER_STORE: "postgres://" } });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /DEXETRA_KEEPER_STORE postgres:\/\/: the PostgreSQL URL names no host/);
    // Nothing listens on port 1: an operational failure (exit 1), still before the keeper acts.
    const down = await cli.run(["keeper", "--once", "--store", "postgresql://ops:s3cret@127.0.0.1:1/keeper"]);
    assert.equal(down.code, 1, down.stderr);
    assert.match(down.stderr, /E_NETWORK/);
    assert.match(
      down.stderr,
      /--store: cannot open the PostgreSQL store at postgresql:\/\/ops:\*\*\*@127\.0\.0\.1:1\/keeper/,
    );
    for (const r of [bad, down]) assert.doesNotMatch(r.stdout + r.stderr, /s3cret/, "a password is never echoed");
    assert.equal(await c.client.getBlockNumber(), blocks, "no transaction sent");
    assert.equal(await openCount(c), open, "nobody liquidated");
  });

  it("test_keeper_onceOnPostgresLiquidatesWithDevKeysAndReportsHealth", async () => {
    // The store from the environment, as `dexetra up` passes it through.
    const r = await cli.run(["keeper", "--once", "--json"], { env: { DEXETRA_KEEPER_STORE: pg.url } });
    assert.equal(r.code, 0, r.stderr);
    const h = r.json();
    assert.equal(h.markets.length, 2);
    assert.equal(h.signers.length, 3, "three dev keys on an in-process chain");
    assert.equal(await openCount(c), 4, "every long liquidated (automine), whale and printer remain");
    const store = await PgStore.open(pg.url);
    try {
      const sent = (await store.jobsByStatus("sent")).filter((j) => j.kind === "liquidate");
      assert.equal(sent.length, 4, "the keeper's journal is in PostgreSQL");
      assert.equal((await store.txsForJob(sent[0]!.key)).length, 1);
    } finally {
      await store.close();
    }
  });

  it("test_monitor_onceRaisesNothingOnTheCleanSystemAndPrintsHealth", async () => {
    const r = await cli.run(["monitor", "--once", "--json", "--store", ":memory:"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    const health = JSON.parse(
      lines.slice(lines.findIndex((l) => l.startsWith("{") && !l.includes('"svc"'))).join("\n"),
    );
    assert.deepEqual(health.activeAlerts, []);
    assert.ok(Number(health.cursor) > 0);
  });

  it("test_RevertWhen_badFlagOrMissingKeysOnARealNetwork", async () => {
    const bad = await cli.run(["keeper", "--once", "--gas-budget", "lots"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /E_BAD_FLAG/);
    for (const v of ["1.0000001", "-5", "ten"]) {
      const badClaim = await cli.run(["keeper", "--once", "--claim-min", v]);
      assert.equal(badClaim.code, 2, v);
      assert.match(badClaim.stderr, /E_BAD_FLAG.*--claim-min/, v);
    }
    const noKeys = await cli.run(["keeper", "--once", "--network", "hub"], { env: { DEXETRA_KEEPER_KEYS: "0x1234" } });
    assert.equal(noKeys.code, 2);
    assert.match(noKeys.stderr, /E_NO_SIGNER/);
    assert.doesNotMatch(noKeys.stderr, /0x1234/, "a key is never echoed");
  });
});
