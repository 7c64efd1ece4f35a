// `dexetra deploy` is idempotent (a second run verifies and reuses everything) and resumable
// (killed at kill points across the whole run, it completes with no transaction repeated).
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import type { Address, EIP1193Provider } from "viem";
import { fromProvider } from "../../../src/chain/connect.ts";
import type { ChainConn } from "../../../src/chain/connect.ts";
import { loadContracts } from "../../../src/config/contracts.ts";
import { cliRunner } from "../helpers/cli.ts";
import { killAtEveryPoint } from "../helpers/killHarness.ts";

const ARGS = ["deploy", "--market", "ETH-USD:3000:10", "--market", "BTC-USD:60000:20"];

describe("dexetra deploy", () => {
  let hh: Awaited<ReturnType<typeof network.create>>;
  let conn: ChainConn;
  let cli: ReturnType<typeof cliRunner>;
  let signer: Address;
  before(async () => {
    hh = await network.create("hubBig");
    conn = await fromProvider("hubBig", hh.provider as unknown as EIP1193Provider, true);
    cli = cliRunner({ hubBig: conn }, { DEXETRA_NETWORK: "hubBig" });
    signer = ((await conn.provider.request({ method: "eth_accounts" })) as Address[])[0]!;
  });

  it("is resumable: killed at every point, it completes without repeating a transaction", async () => {
    const snap = await hh.networkHelpers.takeSnapshot();
    const dep = cli.env.DEXETRA_DEPLOYMENTS_DIR!;
    const res = await killAtEveryPoint({
      client: conn.client,
      signer,
      setup: async () => {
        await snap.restore();
        if (existsSync(dep)) for (const f of readdirSync(dep)) rmSync(join(dep, f));
        return {};
      },
      execute: async (_e, hooks) => {
        const r = await cli.run(ARGS, hooks ? { hooks } : {});
        return r.code === 0 ? "completed" : `exit ${r.code}`;
      },
      validate: async () => {
        assert.equal((await cli.run(["check"])).code, 0);
        const rec = JSON.parse(readFileSync(join(dep, "hubBig.json"), "utf8"));
        assert.equal(rec.markets.length, 2);
      },
    });
    assert.ok(res.points.length > 60, `${res.points.length} kill points`);
  });

  it("is idempotent: a second run sends nothing and reuses every contract", async () => {
    const n0 = await conn.client.getTransactionCount({ address: signer });
    const r = await cli.run([...ARGS, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().sent.length, 0);
    assert.ok(r.json().recognised.includes("deploy:CoreVault-proxy"));
    assert.equal(await conn.client.getTransactionCount({ address: signer }), n0);
  });

  it("generates the consumer config the servers load", async () => {
    const r = await cli.run(["config", "generate"]);
    assert.equal(r.code, 0);
    const cfg = loadContracts({ env: { ...cli.env, DEXETRA_NETWORK: "hubBig" } });
    const rec = JSON.parse(readFileSync(join(cli.env.DEXETRA_DEPLOYMENTS_DIR!, "hubBig.json"), "utf8"));
    assert.equal(cfg.contracts.coreVault, rec.contracts.CoreVault.address);
    assert.equal(cfg.markets.length, 2);
    const st = await cli.run(["status", "--json"]);
    assert.equal(st.json()[0].runbook, "deploy");
  });
});
