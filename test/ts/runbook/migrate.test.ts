// Cutover redeploy, then snapshot the paused old vault and migrate balances with Merkle claims:
// totals reconcile to the micro-USDC, the old vault's USDC moves to the new vault and the
// token-backed part of each balance is converted, a killed migration resumes without double
// credits or double conversions, and
// trading continues on the new vault with the migrated balances.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, parseUnits } from "viem";
import type { Address, EIP1193Provider } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import { fromProvider } from "../../../src/chain/connect.ts";
import { backedAmounts } from "../../../src/runbook/migrate.ts";
import type { Snapshot } from "../../../src/runbook/snapshot.ts";
import { cliRunner } from "../helpers/cli.ts";
import { killAtEveryPoint } from "../helpers/killHarness.ts";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

describe("snapshot and Merkle-claim migration after a cutover", () => {
  let s: LiveSystem;
  let oldVault: Address;
  let before_: Map<Address, bigint>;
  let snapFile: string;
  const vaultAbi = readArtifact("CoreVault").abi;
  const vread = (v: Address, functionName: string, args: readonly unknown[] = []) =>
    s.conn.client.readContract({ address: v, abi: vaultAbi, functionName, args } as never) as Promise<bigint>;
  const usdcOf = async (a: Address) =>
    s.conn.client.readContract({
      address: (await vread(oldVault, "collateralToken")) as unknown as Address,
      abi: readArtifact("MockUSDC").abi,
      functionName: "balanceOf",
      args: [a],
    }) as Promise<bigint>;
  const bal = (v: Address, u: Address) =>
    s.conn.client.readContract({ address: v, abi: vaultAbi, functionName: "balanceOf", args: [u] }) as Promise<bigint>;

  before(async () => {
    s = await startLiveSystem({ legacyBooks: true });
    await populate(s, { flat: true });
    oldVault = s.rec().contracts.CoreVault!.address;
    before_ = new Map();
    for (const u of [...s.traders, ...s.credited]) before_.set(u, await bal(oldVault, u));
    const r = await s.cli.run(["redeploy-corevault"]);
    assert.equal(r.code, 0, r.stderr);
  });

  it("snapshot: every depositor and credited user at one block, checksummed", async () => {
    const r = await s.cli.run(["snapshot", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    snapFile = out.file;
    assert.equal(out.paused, true);
    const snap = JSON.parse(readFileSync(snapFile, "utf8"));
    assert.equal(snap.vault, oldVault);
    assert.equal(snap.markets.length, 3, "markets enumerated from the vault");
    const users = new Map<string, string>(
      snap.users.map((u: { user: string; balance: string }) => [u.user, u.balance]),
    );
    for (const [u, b] of before_) assert.equal(users.get(u), b.toString(), `${u} in the snapshot with its balance`);
    const total = [...before_.values()].reduce((a, b) => a + b, 0n);
    assert.equal(snap.totals.balance, total.toString());
    assert.equal(snap.totals.positions, 0);
    // Same block, same checksum.
    const again = await s.cli.run([
      "snapshot",
      "--block",
      snap.block,
      "--out",
      join(s.cli.dir, "again.json"),
      "--json",
    ]);
    assert.equal(again.json().checksum, out.checksum);
  });

  it("snapshot aborts on a failed read and writes nothing (never truncates)", async () => {
    let calls = 0;
    const flaky = {
      request: async (a: { method: string; params?: unknown }) => {
        if (a.method === "eth_call" && ++calls === 4) throw new Error("upstream timeout");
        return s.conn.provider.request(a as never);
      },
    } as unknown as EIP1193Provider;
    const conn = await fromProvider("hubBig", flaky, true);
    const cli = cliRunner({ hubBig: conn }, s.cli.env);
    const out = join(s.cli.dir, "flaky.json");
    const r = await cli.run(["snapshot", "--out", out, "--json"]);
    assert.equal(r.json().error.code, "E_SNAPSHOT_READ");
    assert.equal(existsSync(out), false);
  });

  it("migrate --plan lists the USDC move and the conversion pages after the claims", async () => {
    const r = await s.cli.run([
      "migrate",
      "--strategy",
      "merkle-claim",
      "--snapshot",
      snapFile,
      "--claim-all",
      "--plan",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const ids = (r.json().plan as { id: string; function: string; status: string }[]).map((p) => p.id);
    const at = (id: string) => ids.indexOf(id);
    assert.ok(at("reconcile") > 0 && at("move:old-vault-usdc") > at("reconcile"), ids.join(","));
    assert.ok(at("back:0") > at("move:old-vault-usdc") && at("reconcile:backing") > at("back:0"), ids.join(","));
    const move = (r.json().plan as { id: string; function: string }[]).find((p) => p.id === "move:old-vault-usdc");
    assert.match(move!.function, /transferToSuccessor/);
  });

  it("migrate --claim-all survives a kill at every point; totals reconcile exactly", async () => {
    const snap = await s.hh.networkHelpers.takeSnapshot();
    const dep = s.cli.env.DEXETRA_DEPLOYMENTS_DIR!;
    const recText = readFileSync(join(dep, "hubBig.json"), "utf8");
    const res = await killAtEveryPoint({
      client: s.conn.client,
      signer: s.admin,
      stride: 2,
      setup: async () => {
        await snap.restore();
        for (const f of readdirSync(dep)) if (f.includes("migrate") || f.includes("claims")) rmSync(join(dep, f));
        writeFileSync(join(dep, "hubBig.json"), recText);
        return {};
      },
      execute: async (_e, hooks) => {
        const r = await s.cli.run(
          ["migrate", "--strategy", "merkle-claim", "--snapshot", snapFile, "--claim-all"],
          hooks ? { hooks } : {},
        );
        return r.code === 0
          ? "completed"
          : `exit ${r.code}: ${r.stderr.split("\n").find((l) => l.startsWith("error")) ?? ""}`;
      },
      validate: async () => {
        const nv = s.rec().contracts.CoreVault!.address;
        let sum = 0n;
        for (const [u, b] of before_) {
          assert.equal(await bal(nv, u), b, `${u} has exactly its old balance on the new vault`);
          sum += b;
        }
        assert.equal(s.rec().migration!.total, sum.toString());
        // The money followed: the old vault is empty, each migrated balance's token-backed part
        // (snapshot balance - snapshot external credit) is converted, the rest stays external.
        const sn = JSON.parse(readFileSync(snapFile, "utf8")) as {
          users: { user: Address; balance: string; externalCredit: string }[];
          totals: { vaultUsdc: string };
        };
        assert.equal(await usdcOf(oldVault), 0n, "old vault USDC moved");
        let backedSum = 0n;
        for (const u of sn.users) {
          const b = BigInt(u.balance);
          const want = b > BigInt(u.externalCredit) ? b - BigInt(u.externalCredit) : 0n;
          backedSum += want;
          assert.equal(await vread(nv, "backedCreditOf", [u.user]), want, `${u.user} converted once, exactly`);
          assert.equal(await vread(nv, "externalCreditOf", [u.user]), b - want, `${u.user} keeps its spoke credit`);
        }
        assert.ok(backedSum > 0n && backedSum < BigInt(sn.totals.vaultUsdc), "both parts exercised");
        assert.equal(
          await vread(nv, "unallocatedBacking"),
          BigInt(sn.totals.vaultUsdc) - backedSum,
          "the pools' USDC is unallocated backing",
        );
        assert.ok((await usdcOf(nv)) >= BigInt(sn.totals.vaultUsdc), "new vault holds the moved USDC");
        assert.equal((await s.cli.run(["check"])).code, 0, "the creditor is an expected role holder");
      },
    });
    assert.ok(res.killed >= 10);
  });

  it("trading continues on the new vault with the migrated balances; validation sees the users", async () => {
    const rec = s.rec();
    const nv = rec.contracts.CoreVault!.address;
    const ob = readArtifact("OBTradingFacet").abi;
    const m = rec.markets[0]!;
    const [a, b] = s.traders;
    const price = (await s.conn.client.readContract({
      address: nv,
      abi: vaultAbi,
      functionName: "getMarkPrice",
      args: [m.marketId],
    })) as bigint;
    await s.send(b!, m.orderBook, ob, "placeMarginLimitOrder", [price, parseUnits("1", 18), false]);
    await s.send(a!, m.orderBook, ob, "placeMarginMarketOrder", [parseUnits("1", 18), true]);
    const count = await s.conn.client.readContract({
      address: nv,
      abi: vaultAbi,
      functionName: "getUsersWithPositionsInMarketCount",
      args: [m.marketId],
    });
    assert.equal(count, 2n);
    const v = await s.cli.run(["validate", "--json"]);
    assert.equal(v.code, 0, JSON.stringify(v.json().items?.filter((i: { ok: boolean }) => !i.ok)));
    const credited = v
      .json()
      .items.find((i: { check: string }) => i.check === "externally credited users are known users");
    assert.match(credited.detail, new RegExp(`^${before_.size} credited`));
  });
});

describe("backedAmounts: the token-backed part of each migrated balance", () => {
  const A = getAddress("0x00000000000000000000000000000000000000a1"); // address-literal-ok (test account)
  const B = getAddress("0x00000000000000000000000000000000000000b2"); // address-literal-ok (test account)
  const C = getAddress("0x00000000000000000000000000000000000000c3"); // address-literal-ok (test account)
  const snap = (vaultUsdc: string) =>
    ({
      users: [
        { user: B, balance: "500", externalCredit: "0" },
        { user: A, balance: "300", externalCredit: "100" }, // 100 still locked on a spoke
        { user: C, balance: "50", externalCredit: "80" }, // lost more than its spoke deposit
      ],
      totals: { vaultUsdc },
    }) as unknown as Snapshot;

  it("balance minus spoke credit, smallest first, never negative", () => {
    assert.deepEqual(
      backedAmounts(snap("900")).map((b) => [b.user, b.amount]),
      [
        [A, 200n],
        [B, 500n],
      ],
    );
  });

  it("capped by the old vault's USDC: the largest account keeps the rest as spoke-backed credit", () => {
    assert.deepEqual(
      backedAmounts(snap("650")).map((b) => [b.user, b.amount]),
      [
        [A, 200n],
        [B, 450n],
      ],
    );
    assert.deepEqual(backedAmounts(snap("0")), []);
  });
});
