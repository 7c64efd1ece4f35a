import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Address } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import { accessControlAbi, orderBookAbi, roleId, vaultWiringAbi } from "../../../src/chain/abis.ts";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

describe("check finds drift, regrant-roles repairs it", () => {
  let s: LiveSystem;
  before(async () => {
    s = await startLiveSystem();
    await populate(s);
  });

  it("a freshly deployed system has no drift", async () => {
    const r = await s.cli.run(["check", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json().drift, []);
    assert.ok(r.json().checked > 20);
    // The credited users arrived through the CollateralHub (signed spoke deposits), not by hand.
    const hub = s.rec().contracts.CollateralHub!.address;
    const hubAbi = readArtifact("CollateralHub").abi;
    for (const u of s.credited) {
      assert.equal(
        await s.conn.client.readContract({
          address: hub,
          abi: hubAbi,
          functionName: "creditedFrom",
          args: [u, 42161n],
        }),
        200_000_000_000n,
      );
    }
  });

  it("finds a missing role, a book on another vault, a wrong mapping and an unexpected holder", async () => {
    const rec = s.rec();
    const vault = rec.contracts.CoreVault!.address;
    const [m0, m1, m2] = rec.markets;
    // An unrelated vault stands in for "the old vault" one book still points at.
    const other = rec.contracts.USDC!.address;
    await s.send(s.admin, vault, accessControlAbi, "revokeRole", [roleId("SETTLEMENT_ROLE"), m0!.orderBook]);
    await s.send(s.admin, m1!.orderBook, orderBookAbi, "setVault", [other]);
    await s.send(s.admin, vault, vaultWiringAbi, "assignMarketToOrderBook", [m2!.marketId, m0!.orderBook]);
    await s.send(s.admin, vault, accessControlAbi, "grantRole", [roleId("EXTERNAL_CREDITOR_ROLE"), s.accounts[13]!]);

    const r = await s.cli.run(["check", "--json"]);
    assert.equal(r.code, 4, "critical drift exits 4");
    const ids = (r.json().drift as { id: string; critical: boolean }[]).map((d) => d.id).sort();
    assert.deepEqual(
      ids,
      [
        `book-vault:${m1!.orderBook}`,
        `mapping:${m2!.marketId}`,
        `role:SETTLEMENT_ROLE:${m0!.orderBook}`,
        `unexpected:EXTERNAL_CREDITOR_ROLE:${s.accounts[13]}`,
      ].sort(),
    );
    const human = await s.cli.run(["check"]);
    assert.match(human.stdout, /CRITICAL/);

    // check-roles narrowed to one book sees only that book's drift.
    const one = await s.cli.run(["check-roles", "--coreVault", vault, "--orderBook", m1!.orderBook, "--json"]);
    assert.equal(one.code, 4);
    assert.ok(one.json().drift.some((d: { id: string }) => d.id === `book-vault:${m1!.orderBook}`));
    assert.ok(!one.json().drift.some((d: { id: string }) => d.id === `mapping:${m2!.marketId}`));
  });

  it("regrant-roles --plan lists the repairs and sends nothing", async () => {
    const n0 = await s.conn.client.getTransactionCount({ address: s.admin });
    const r = await s.cli.run(["regrant-roles", "--plan", "--revoke-unexpected", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const fns = (r.json().plan as { function: string; status: string }[])
      .filter((p) => p.status === "pending")
      .map((p) => p.function)
      .sort();
    assert.deepEqual(fns, ["assignMarketToOrderBook", "grantRole", "revokeRole", "setVault"]);
    assert.equal(await s.conn.client.getTransactionCount({ address: s.admin }), n0);
  });

  it("regrant-roles converges the chain and check is clean again", async () => {
    const r = await s.cli.run(["regrant-roles", "--revoke-unexpected", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json().after, []);
    assert.equal(r.json().run.sent.length, 4);
    const c = await s.cli.run(["check", "--json"]);
    assert.equal(c.code, 0);
    // A second run has nothing to do.
    const again = await s.cli.run(["regrant-roles", "--json"]);
    assert.equal(again.json().run.sent.length, 0);
    void readArtifact;
    void ({} as Address);
  });
});

describe("wiring reads are batched", () => {
  it("checks 100 books in a handful of eth_calls through Multicall3", async () => {
    const { startLiveSystem: start } = await import("../helpers/liveSystem.ts");
    const { readWiring, wiringFromRecord } = await import("../../../src/runbook/wiring.ts");
    const { fromProvider } = await import("../../../src/chain/connect.ts");
    const { keccak256, toHex, getAddress } = await import("viem");
    const s = await start({ hub: false });
    const rec = s.rec();
    let calls = 0;
    const counting = {
      request: async (a: { method: string }) => {
        if (a.method === "eth_call") calls++;
        return s.conn.provider.request(a as never);
      },
    };
    const conn = await fromProvider("hubBig", counting as never, true);
    const w = wiringFromRecord(rec);
    // 100 books the record would list (not wired on chain: every one shows up as drift).
    w.books = Array.from({ length: 100 }, (_, i) => ({
      marketId: keccak256(toHex(`m${i}`)),
      orderBook: getAddress(keccak256(toHex(`b${i}`)).slice(0, 42)),
    }));
    const r = await readWiring(conn.client, w, { multicallAddress: rec.contracts.Multicall3!.address });
    assert.ok(r.checked >= 600, `${r.checked} checks`);
    assert.ok(r.drift.filter((d) => d.id.startsWith("registered:")).length === 100);
    assert.ok(calls <= 12, `${calls} eth_calls for ${r.checked} checks`);
  });
});
