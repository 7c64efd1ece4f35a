// The full redeploy on a live in-process system, killed at every kill point in turn and resumed,
// then validated: dual-vault (books keep trading on the old vault, open positions and resting
// orders untouched) and cutover (flat books cut over, OBVaultAdminFacet added by diamond cut).
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress } from "viem";
import type { Address } from "viem";
import { SET_VAULT_SELECTOR, hubAbi, orderBookAbi, vaultWiringAbi } from "../../../src/chain/abis.ts";
import { killAtEveryPoint } from "../helpers/killHarness.ts";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

/** Chain snapshot + the record/config files, restorable as often as needed. */
async function checkpoint(s: LiveSystem) {
  const snap = await s.hh.networkHelpers.takeSnapshot();
  const depDir = s.cli.env.DEXETRA_DEPLOYMENTS_DIR!;
  const genDir = s.cli.env.DEXETRA_GENERATED_DIR!;
  const files = new Map<string, string>();
  for (const d of [depDir, genDir])
    for (const f of readdirSync(d))
      if (!f.includes("journal") && !f.includes("safe")) files.set(join(d, f), readFileSync(join(d, f), "utf8"));
  return async () => {
    await snap.restore();
    for (const f of readdirSync(depDir)) if (f.includes("redeploy-corevault")) rmSync(join(depDir, f));
    for (const [f, text] of files) writeFileSync(f, text);
  };
}

const read = (
  s: LiveSystem,
  address: Address,
  abi: readonly unknown[],
  functionName: string,
  args: readonly unknown[] = [],
) => s.conn.client.readContract({ address, abi: abi as never, functionName, args } as never) as Promise<unknown>;

describe("redeploy-corevault on a live system", () => {
  describe("dual-vault (--books keep) with open positions and resting orders", () => {
    let s: LiveSystem;
    let restore: () => Promise<void>;
    let oldVault: Address;
    before(async () => {
      s = await startLiveSystem({ legacyBooks: true });
      await populate(s);
      oldVault = s.rec().contracts.CoreVault!.address;
      restore = await checkpoint(s);
    });

    it("refuses a cutover that would orphan open positions, before sending anything", async () => {
      const n0 = await s.conn.client.getTransactionCount({ address: s.admin });
      const r = await s.cli.run(["redeploy-corevault", "--json"]);
      assert.equal(r.code, 1);
      assert.equal(r.json().error.code, "E_PREFLIGHT");
      assert.match(r.json().error.message, /open position\(s\) and \d+ resting order/);
      assert.equal(await s.conn.client.getTransactionCount({ address: s.admin }), n0);
      await restore();
    });

    it("--plan prints every transaction with target, function, args and reason", async () => {
      const r = await s.cli.run(["redeploy-corevault", "--books", "keep", "--plan", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const plan = r.json().plan as { id: string; function: string; target: string; reason: string; status: string }[];
      const fns = plan.filter((p) => p.status === "pending").map((p) => p.function);
      assert.deepEqual(fns.slice(0, 4), ["pause", "constructor", "constructor", "constructor"]);
      assert.ok(
        fns.includes("setCoreVaultParams") && fns.includes("unpause") && fns.indexOf("pause") < fns.indexOf("unpause"),
      );
      assert.ok(plan.every((p) => p.reason.length > 0));
    });

    it("survives a kill at every point, then validates", async () => {
      const res = await killAtEveryPoint({
        client: s.conn.client,
        signer: s.admin,
        setup: async () => {
          await restore();
          return {};
        },
        execute: async (_e, hooks) => {
          const r = await s.cli.run(["redeploy-corevault", "--books", "keep"], hooks ? { hooks } : {});
          return r.code === 0
            ? "completed"
            : `exit ${r.code}: ${r.stderr.split("\n").find((l) => l.startsWith("error")) ?? ""}`;
        },
        validate: async () => {
          const rec = s.rec();
          const nv = rec.contracts.CoreVault!.address;
          assert.notEqual(nv, oldVault);
          assert.equal(rec.contracts.CoreVault!.previous.at(-1)!.address, oldVault);
          // Legacy books stay on the old vault, which trades again; hub credits the new vault.
          for (const m of rec.markets) {
            assert.equal(m.vault, oldVault);
            assert.equal(
              getAddress(((await read(s, m.orderBook, orderBookAbi, "marketStatic")) as Address[])[0]!),
              oldVault,
            );
          }
          assert.equal(await read(s, oldVault, vaultWiringAbi, "paused"), false);
          assert.equal(
            getAddress((await read(s, rec.contracts.CollateralHub!.address, hubAbi, "coreVault")) as Address),
            nv,
          );
          const v = await s.cli.run(["validate", "--json"]);
          assert.equal(v.code, 0, JSON.stringify(v.json().items?.filter((i: { ok: boolean }) => !i.ok)));
          assert.equal((await s.cli.run(["check"])).code, 0);
        },
      });
      assert.ok(res.points.length >= 20, `${res.points.length} kill points`);
      assert.equal(res.killed, res.points.length);
    });
  });

  describe("cutover of flat books (OBVaultAdminFacet added by diamond cut)", () => {
    let s: LiveSystem;
    let restore: () => Promise<void>;
    let oldVault: Address;
    let marks: Map<string, bigint>;
    before(async () => {
      s = await startLiveSystem({ legacyBooks: true });
      await populate(s, { flat: true });
      const rec = s.rec();
      oldVault = rec.contracts.CoreVault!.address;
      marks = new Map();
      for (const m of rec.markets)
        marks.set(m.marketId, (await read(s, oldVault, vaultWiringAbi, "getMarkPrice", [m.marketId])) as bigint);
      assert.ok([...marks.values()].every((p) => p > 0n));
      restore = await checkpoint(s);
    });

    it("survives a kill at every point, then validates", async () => {
      const res = await killAtEveryPoint({
        client: s.conn.client,
        signer: s.admin,
        setup: async () => {
          await restore();
          return {};
        },
        execute: async (_e, hooks) => {
          const r = await s.cli.run(["redeploy-corevault"], hooks ? { hooks } : {});
          return r.code === 0
            ? "completed"
            : `exit ${r.code}: ${r.stderr.split("\n").find((l) => l.startsWith("error")) ?? ""}`;
        },
        validate: async () => {
          const rec = s.rec();
          const nv = rec.contracts.CoreVault!.address;
          assert.notEqual(nv, oldVault);
          for (const m of rec.markets) {
            assert.equal(m.vault, nv);
            assert.equal(getAddress(((await read(s, m.orderBook, orderBookAbi, "marketStatic")) as Address[])[0]!), nv);
            assert.notEqual(
              await read(s, m.orderBook, orderBookAbi, "facetAddress", [SET_VAULT_SELECTOR]),
              "0x0000000000000000000000000000000000000000",
            );
            assert.equal(await read(s, nv, vaultWiringAbi, "getMarkPrice", [m.marketId]), marks.get(m.marketId));
          }
          assert.equal(await read(s, oldVault, vaultWiringAbi, "paused"), true);
          const v = await s.cli.run(["validate", "--json"]);
          assert.equal(v.code, 0, JSON.stringify(v.json().items?.filter((i: { ok: boolean }) => !i.ok)));
          assert.equal((await s.cli.run(["check"])).code, 0);
        },
      });
      assert.equal(res.killed, res.points.length);
    });
  });
});
