// upgrade-corevault on a live system: refused when the layout is not append-only; otherwise
// killed at every point and resumed, with every balance and position intact and validation green.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Address } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import { implementationOf } from "../../../src/runbook/upgrade.ts";
import { killAtEveryPoint } from "../helpers/killHarness.ts";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

const V2_PROBE = "contracts/test-support/CoreVaultV2Mock.sol/VaultStorageV2LayoutProbe.json:VaultStorageV2LayoutProbe";

describe("upgrade-corevault on a live system", () => {
  let s: LiveSystem;
  let vault: Address;
  let layout: string;
  let state: () => Promise<string>;

  before(async () => {
    s = await startLiveSystem();
    await populate(s);
    vault = s.rec().contracts.CoreVault!.address;
    layout = join(s.cli.dir, "CoreVault.layout.json");
    copyFileSync("storage-layouts/CoreVault.json", layout);
    const abi = readArtifact("CoreVault").abi;
    state = async () => {
      const parts: unknown[] = [];
      for (const u of [...s.traders, ...s.credited]) {
        parts.push(await s.conn.client.readContract({ address: vault, abi, functionName: "balanceOf", args: [u] }));
        parts.push(
          await s.conn.client.readContract({ address: vault, abi, functionName: "getUserPositions", args: [u] }),
        );
        parts.push(
          await s.conn.client.readContract({ address: vault, abi, functionName: "getReservedMargin", args: [u] }),
        );
      }
      return JSON.stringify(parts, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    };
  });

  it("refuses a layout that is not append-only before sending anything (plan included)", async () => {
    const bad = JSON.parse(readFileSync(layout, "utf8"));
    bad.structs.root.splice(2, 0, { label: "removedLater", slot: "0", offset: 0, type: "uint256" });
    const badFile = join(s.cli.dir, "bad.layout.json");
    writeFileSync(badFile, JSON.stringify(bad));
    const n0 = await s.conn.client.getTransactionCount({ address: s.admin });
    for (const extra of [[], ["--plan"]]) {
      const r = await s.cli.run(["upgrade-corevault", "--deployed-layout", badFile, ...extra, "--json"]);
      assert.equal(r.code, 4);
      assert.equal(r.json().error.code, "E_STORAGE_LAYOUT");
      assert.match(r.json().error.message, /root\.removedLater/);
    }
    assert.equal(await s.conn.client.getTransactionCount({ address: s.admin }), n0);
  });

  it("upgrades to an appended-field v2, killed at every point and resumed; state intact", async () => {
    const before_ = await state();
    const impl0 = await implementationOf({ client: s.conn.client }, vault);
    const snap = await s.hh.networkHelpers.takeSnapshot();
    const dep = s.cli.env.DEXETRA_DEPLOYMENTS_DIR!;
    const files = new Map<string, string>();
    for (const f of readdirSync(dep)) files.set(join(dep, f), readFileSync(join(dep, f), "utf8"));
    files.set(layout, readFileSync(layout, "utf8"));
    const res = await killAtEveryPoint({
      client: s.conn.client,
      signer: s.admin,
      setup: async () => {
        await snap.restore();
        for (const f of readdirSync(dep)) if (f.includes("upgrade-corevault")) rmSync(join(dep, f));
        for (const [f, t] of files) writeFileSync(f, t);
        return {};
      },
      execute: async (_e, hooks) => {
        const r = await s.cli.run(
          [
            "upgrade-corevault",
            "--artifact",
            "CoreVaultV2Mock",
            "--layout-probe",
            V2_PROBE,
            "--deployed-layout",
            layout,
          ],
          hooks ? { hooks } : {},
        );
        return r.code === 0
          ? "completed"
          : `exit ${r.code}: ${r.stderr.split("\n").find((l) => l.startsWith("error")) ?? ""}`;
      },
      validate: async () => {
        const rec = s.rec();
        const impl = await implementationOf({ client: s.conn.client }, vault);
        assert.notEqual(impl, impl0);
        assert.equal(rec.contracts.CoreVault!.implementation, impl);
        assert.equal(rec.contracts.CoreVault!.previous.at(-1)!.implementation, impl0);
        assert.equal(rec.contracts.CoreVault!.address, vault, "same proxy address");
        const v2 = readArtifact("CoreVaultV2Mock").abi;
        assert.equal(await s.conn.client.readContract({ address: vault, abi: v2, functionName: "version" }), 2n);
        assert.equal(await state(), before_, "every balance, position and reservation intact");
        assert.equal(JSON.parse(readFileSync(layout, "utf8")).structs.root.at(-1).label, "v2Field");
        assert.equal((await s.cli.run(["validate"])).code, 0);
      },
    });
    assert.ok(res.killed >= 10);
  });
});
