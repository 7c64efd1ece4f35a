import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { getAddress } from "viem";
import type { Address } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import { orderBookAbi, vaultWiringAbi } from "../../../src/chain/abis.ts";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

describe("redeploy-corevault on a live system", () => {
  let s: LiveSystem;
  before(async () => {
    s = await startLiveSystem({ legacyBooks: true });
    await populate(s);
  });

  it("plans, then redeploys: books cut over, hub re-pointed, validation passes", async () => {
    const old = s.rec().contracts.CoreVault!.address;
    const plan = await s.cli.run(["redeploy-corevault", "--plan", "--json"]);
    assert.equal(plan.code, 0, plan.stderr);
    const r = await s.cli.run(["redeploy-corevault"]);
    process.stderr.write(r.stderr.slice(-4000));
    assert.equal(r.code, 0, r.stderr);
    const rec = s.rec();
    const nv = rec.contracts.CoreVault!.address;
    assert.notEqual(nv, old);
    assert.equal(rec.contracts.CoreVault!.previous.at(-1)!.address, old);
    for (const m of rec.markets) {
      assert.equal(m.vault, nv);
      const ms = (await s.conn.client.readContract({ address: m.orderBook, abi: orderBookAbi, functionName: "marketStatic" })) as unknown as [Address];
      assert.equal(getAddress(ms[0]), nv);
    }
    assert.equal(await s.conn.client.readContract({ address: old, abi: vaultWiringAbi, functionName: "paused" }), true);
    const v = await s.cli.run(["validate", "--json"]);
    assert.equal(v.code, 0, v.stdout);
    void readFileSync; void writeFileSync; void readArtifact;
  });
});
