// `dexetra keeper`, `dexetra monitor` and `dexetra dashboard` through the real CLI, on a live system.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { network } from "hardhat";
import type { EIP1193Provider } from "viem";
import { fromProvider, type ChainConn } from "../../../src/chain/connect.ts";
import { writeRecord } from "../../../src/config/record.ts";
import { buildCascade, cascadeRecord, type Cascade } from "../../../src/keeper/scenario.ts";
import { openCount } from "../../../src/keeper/drive.ts";
import { cliRunner } from "../helpers/cli.ts";

describe("dexetra keeper / monitor / dashboard", () => {
  let c: Cascade;
  let cli: ReturnType<typeof cliRunner>;

  before(async () => {
    const hh = await network.create("hub");
    c = await buildCascade(hh, { symbols: ["ETH-USD", "BTC-USD"], victims: 2 });
    const conn: ChainConn = await fromProvider("hub", hh.provider as unknown as EIP1193Provider, true);
    cli = cliRunner({ hub: conn });
    writeRecord(join(cli.env.DEXETRA_DEPLOYMENTS_DIR!, "hub.json"), cascadeRecord(c, "hub"));
  });

  it("test_keeper_onceLiquidatesWithDevKeysAndReportsHealth", async () => {
    const r = await cli.run(["keeper", "--once", "--json", "--store", ":memory:"]);
    assert.equal(r.code, 0, r.stderr);
    const h = r.json();
    assert.equal(h.markets.length, 2);
    assert.equal(h.signers.length, 3, "three dev keys on an in-process chain");
    assert.equal(await openCount(c), 4, "every long liquidated (automine), whale and printer remain");
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
    const noKeys = await cli.run(["keeper", "--once", "--network", "hub"], { env: { DEXETRA_KEEPER_KEYS: "0x1234" } });
    assert.equal(noKeys.code, 2);
    assert.match(noKeys.stderr, /E_NO_SIGNER/);
    assert.doesNotMatch(noKeys.stderr, /0x1234/, "a key is never echoed");
  });
});
