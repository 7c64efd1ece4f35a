import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { createWalletClient, custom, getAddress } from "viem";
import type { Address, EIP1193Provider } from "viem";
import { fromProvider } from "../../../src/chain/connect.ts";
import type { ChainConn } from "../../../src/chain/connect.ts";
import { isDexetraError } from "../../../src/config/errors.ts";
import { runRunbook } from "../../../src/runbook/engine.ts";
import { Journal } from "../../../src/runbook/journal.ts";
import { readSafeBatch, validateSafeBatch } from "../../../src/runbook/safe.ts";
import type { Sender } from "../../../src/runbook/types.ts";
import { killAtEveryPoint } from "../helpers/killHarness.ts";
import { AMOUNTS, tokenRunbook, tokenState } from "../helpers/tokenRunbook.ts";

describe("runbook engine", () => {
  let hh: Awaited<ReturnType<typeof network.connect>>;
  let conn: ChainConn;
  let wallet: Sender;
  let users: { alice: Address; bob: Address; carol: Address; dave: Address };
  let safe: Address;
  let dir: string;

  before(async () => {
    hh = await network.create("hub");
    conn = await fromProvider("hub", hh.provider as unknown as EIP1193Provider, true);
    const accts = ((await conn.provider.request({ method: "eth_accounts" })) as Address[]).map((a) => getAddress(a));
    wallet = createWalletClient({ account: accts[0]!, chain: conn.chain, transport: custom(conn.provider) }) as Sender;
    users = { alice: accts[1]!, bob: accts[2]!, carol: accts[3]!, dave: accts[4]! };
    safe = accts[9]!;
    dir = mkdtempSync(join(tmpdir(), "dexetra-engine-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const opts = (journalFile: string) => ({ client: conn.client, chainId: conn.chainId, journalFile, wallet });

  it("runs every step once, then recognises all of them on a second run", async () => {
    const file = join(dir, "a.jsonl");
    const nonce0 = await conn.client.getTransactionCount({ address: wallet.account.address });
    const first = await runRunbook(tokenRunbook(users), opts(file));
    assert.equal(first.status, "completed");
    assert.deepEqual(
      first.sent.map((s) => s.id),
      ["deploy:usdc", "mint:alice", "approve:bob", "approve:carol", "mint:dave"],
    );
    assert.equal((await conn.client.getTransactionCount({ address: wallet.account.address })) - nonce0, 5);
    const st = await tokenState(conn.client, first.outputs.usdc!, wallet.account.address, users);
    assert.deepEqual(st, { alice: AMOUNTS.alice, dave: AMOUNTS.dave, bob: AMOUNTS.bob, carol: AMOUNTS.carol });
    assert.equal(first.outputs.aliceBalance, AMOUNTS.alice.toString());

    // Every transaction was journaled (with its nonce) before its hash.
    const events = Journal.load(file).events;
    for (const s of first.sent) {
      const iSending = events.findIndex((e) => e.t === "sending" && e.id === s.id);
      const iSent = events.findIndex((e) => e.t === "sent" && e.id === s.id);
      assert.ok(iSending >= 0 && iSent > iSending, `${s.id} journaled before sending`);
    }

    // Second run of the same runbook: the deployment is reused from the journal outputs? No: a
    // completed journal is archived, so the deploy step runs again unless recognised. The token
    // deploy has no `existing`, so only the calls are checked here with a runbook pinned to it.
    const rb = tokenRunbook(users);
    rb.steps[0] = {
      ...rb.steps[0]!,
      kind: "tx",
      existing: async () => getAddress(first.outputs.usdc!),
    } as (typeof rb.steps)[0];
    const before2 = await conn.client.getTransactionCount({ address: wallet.account.address });
    const second = await runRunbook(rb, opts(file));
    assert.equal(second.sent.length, 0);
    assert.deepEqual(second.recognised.sort(), [
      "approve:bob",
      "approve:carol",
      "deploy:usdc",
      "mint:alice",
      "mint:dave",
    ]);
    assert.equal(await conn.client.getTransactionCount({ address: wallet.account.address }), before2);
  });

  it("recognises a step done by hand and does not repeat it", async () => {
    const file = join(dir, "hand.jsonl");
    // Deploy first, then approve bob by hand before the runbook reaches that step.
    const rb = tokenRunbook(users);
    const partial = { ...rb, steps: rb.steps.slice(0, 1) };
    const r1 = await runRunbook(partial, opts(join(dir, "hand-deploy.jsonl")));
    const usdc = getAddress(r1.outputs.usdc!);
    const { abi } = (await import("../../../src/chain/artifacts.ts")).readArtifact("MockUSDC");
    await wallet.writeContract({
      address: usdc,
      abi,
      functionName: "approve",
      args: [users.bob, AMOUNTS.bob],
      chain: conn.chain,
      account: wallet.account,
    });
    rb.steps[0] = { ...rb.steps[0]!, existing: async () => usdc } as (typeof rb.steps)[0];
    const r2 = await runRunbook(rb, opts(file));
    assert.ok(r2.recognised.includes("approve:bob"));
    assert.ok(!r2.sent.some((s) => s.id === "approve:bob"));
    assert.equal(r2.sent.length, 3);
  });

  it("--plan lists every transaction with predicted addresses and sends nothing", async () => {
    const file = join(dir, "plan.jsonl");
    const nonce0 = await conn.client.getTransactionCount({ address: wallet.account.address });
    const planned = await runRunbook(tokenRunbook(users), { ...opts(file), plan: true });
    assert.equal(planned.status, "planned");
    assert.equal(await conn.client.getTransactionCount({ address: wallet.account.address }), nonce0);
    const rows = planned.plan!;
    assert.deepEqual(
      rows.map((r) => r.status),
      ["pending", "pending", "local", "pending", "pending", "pending"],
    );
    const predicted = planned.outputs.usdc!;
    assert.equal(rows[1]!.target, predicted);
    assert.equal(rows[1]!.function, "mint");
    assert.equal(rows[1]!.args, `[${users.alice}, ${AMOUNTS.alice}]`);
    assert.equal(rows[0]!.target, "new MockUSDC");
    // The real run deploys exactly where the plan said.
    const real = await runRunbook(tokenRunbook(users), opts(file));
    assert.equal(real.outputs.usdc, predicted);
  });

  it("survives a kill at every point: nothing repeated, nothing skipped", async () => {
    const snap = await hh.networkHelpers.takeSnapshot();
    const journalFile = join(dir, "kill.jsonl");
    const res = await killAtEveryPoint({
      client: conn.client,
      signer: wallet.account.address,
      setup: async () => {
        await snap.restore();
        rmSync(journalFile, { force: true });
        return { last: {} as Record<string, string> };
      },
      execute: async (env, hooks) => {
        const r = await runRunbook(tokenRunbook(users), { ...opts(journalFile), ...(hooks ? { hooks } : {}) });
        env.last = r.outputs;
        return r.status;
      },
      validate: async (env) => {
        const st = await tokenState(conn.client, env.last.usdc!, wallet.account.address, users);
        assert.deepEqual(st, { alice: AMOUNTS.alice, dave: AMOUNTS.dave, bob: AMOUNTS.bob, carol: AMOUNTS.carol });
      },
    });
    // 5 transactions x (before-send, after-send, after-done) + 1 local step.
    assert.equal(res.points.length, 16);
    assert.equal(res.killed, 16);
  });

  it("ignores a torn final journal line and refuses a corrupt middle line", async () => {
    const file = join(dir, "torn.jsonl");
    const snap = await hh.networkHelpers.takeSnapshot();
    await assert.rejects(
      runRunbook(tokenRunbook(users), {
        ...opts(file),
        hooks: {
          at: (p, id) => {
            if (p === "after-done" && id === "mint:alice") throw new Error("kill");
          },
        },
      }),
    );
    appendFileSync(file, '{"t":"sending","id":"approve:b');
    const r = await runRunbook(tokenRunbook(users), opts(file));
    assert.equal(r.status, "completed");
    await snap.restore();
    const bad = join(dir, "bad.jsonl");
    appendFileSync(bad, 'not json\n{"t":"run-complete","at":"x"}\n');
    assert.throws(
      () => Journal.load(bad),
      (e) => isDexetraError(e, "E_JOURNAL_CORRUPT"),
    );
  });

  it("refuses to resume a journal of a run with other parameters", async () => {
    const file = join(dir, "conflict.jsonl");
    await assert.rejects(
      runRunbook(tokenRunbook(users), {
        ...opts(file),
        hooks: {
          at: () => {
            throw new Error("kill");
          },
        },
      }),
    );
    await assert.rejects(runRunbook(tokenRunbook({ ...users, tag: "other" }), opts(file)), (e) =>
      isDexetraError(e, "E_JOURNAL_CONFLICT"),
    );
  });

  it("refuses to run without a signer", async () => {
    await assert.rejects(
      runRunbook(tokenRunbook(users), {
        client: conn.client,
        chainId: conn.chainId,
        journalFile: join(dir, "nosigner.jsonl"),
      }),
      (e) => isDexetraError(e, "E_NO_SIGNER"),
    );
  });

  it("--safe writes a checksummed batch of admin steps and resumes by verifying the multisig", async () => {
    const file = join(dir, "safe.jsonl");
    const o = { ...opts(file), safe };
    const r1 = await runRunbook(tokenRunbook(users), o);
    assert.equal(r1.status, "awaiting-safe");
    const batch = readSafeBatch(r1.safeBatch!);
    assert.ok(validateSafeBatch(batch));
    assert.equal(batch.chainId, String(conn.chainId));
    assert.equal(batch.meta.createdFromSafeAddress, safe);
    assert.equal(batch.transactions.length, 2);
    assert.equal(batch.transactions[0]!.to, getAddress(r1.outputs.usdc!));
    // Tampering breaks the checksum.
    const tampered = JSON.parse(readFileSync(r1.safeBatch!, "utf8"));
    tampered.transactions[0].value = "1";
    assert.equal(validateSafeBatch(tampered), false);

    // Not executed yet: the runbook waits.
    await assert.rejects(runRunbook(tokenRunbook(users), o), (e) => isDexetraError(e, "E_AWAITING_SAFE"));

    // The multisig executes the batch (impersonated here), then the run resumes and verifies it.
    await hh.networkHelpers.impersonateAccount(safe);
    for (const t of batch.transactions) {
      const h = await conn.provider.request({
        method: "eth_sendTransaction",
        params: [{ from: safe, to: t.to as Address, data: t.data as `0x${string}`, value: "0x0" }],
      });
      await conn.client.waitForTransactionReceipt({ hash: h as `0x${string}` });
    }
    const r2 = await runRunbook(tokenRunbook(users), o);
    assert.equal(r2.status, "completed");
    assert.deepEqual(r2.recognised, ["approve:bob", "approve:carol"]);
    assert.deepEqual(
      r2.sent.map((s) => s.id),
      ["mint:dave"],
    );
    const st = await tokenState(conn.client, r2.outputs.usdc!, safe, users);
    assert.equal(st.bob, AMOUNTS.bob);
    assert.equal(st.carol, AMOUNTS.carol);
  });
});

describe("Safe batches are paged", () => {
  it("splits a long run of admin steps into batches of at most maxBatch", async () => {
    const hh = await network.create("hub");
    const conn = await fromProvider("hub", hh.provider as unknown as EIP1193Provider, true);
    const accts = ((await conn.provider.request({ method: "eth_accounts" })) as Address[]).map((a) => getAddress(a));
    const wallet = createWalletClient({
      account: accts[0]!,
      chain: conn.chain,
      transport: custom(conn.provider),
    }) as Sender;
    const safe = accts[9]!;
    const dir = mkdtempSync(join(tmpdir(), "dexetra-pages-"));
    const rb = tokenRunbook({ alice: accts[1]!, bob: accts[2]!, carol: accts[3]!, dave: accts[4]! });
    const approve = rb.steps[3]! as import("../../../src/runbook/types.ts").TxStep;
    // Seven admin approvals to seven spenders after the deploy.
    const steps = [
      rb.steps[0]!,
      ...accts.slice(10, 17).map((sp, i) => ({
        ...approve,
        id: `approve:${i}`,
        build: (ctx: import("../../../src/runbook/types.ts").StepContext) =>
          ({ ...(approve.build(ctx) as object), args: [sp, BigInt(i + 1)] }) as never,
        isDone: async () => false,
      })),
    ];
    const o = {
      client: conn.client,
      chainId: conn.chainId,
      journalFile: join(dir, "p.jsonl"),
      wallet,
      safe,
      maxBatch: 3,
    };
    const sizes: number[] = [];
    for (let k = 0; k < 3; k++) {
      const r = await runRunbook({ ...rb, steps }, o);
      assert.equal(r.status, "awaiting-safe");
      sizes.push(readSafeBatch(r.safeBatch!).transactions.length);
      // Pretend the multisig executed it: mark those steps done by making isDone true.
      const done = new Set(Journal.load(o.journalFile).lastSafeBatch()!.ids);
      for (const st of steps)
        if (done.has(st.id)) (st as unknown as { isDone: () => Promise<boolean> }).isDone = async () => true;
    }
    assert.deepEqual(sizes, [3, 3, 1]);
    const final = await runRunbook({ ...rb, steps }, o);
    assert.equal(final.status, "completed");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("fee bumps (Ignition's policy)", () => {
  it("replaces a transaction that is not mined with higher fees, same nonce, every hash journaled", async () => {
    const hh = await network.create("hub");
    const conn = await fromProvider("hub", hh.provider as unknown as EIP1193Provider, true);
    const accts = ((await conn.provider.request({ method: "eth_accounts" })) as Address[]).map((a) => getAddress(a));
    const wallet = createWalletClient({
      account: accts[0]!,
      chain: conn.chain,
      transport: custom(conn.provider),
    }) as Sender;
    const dir = mkdtempSync(join(tmpdir(), "dexetra-bump-"));
    const file = join(dir, "b.jsonl");
    const rb = tokenRunbook({ alice: accts[1]!, bob: accts[2]!, carol: accts[3]!, dave: accts[4]! });
    const nonce0 = await conn.client.getTransactionCount({ address: accts[0]! });
    await hh.provider.request({ method: "evm_setAutomine", params: [false] });
    // Nothing is mined for ~1.2 s (several bump intervals), then mining resumes.
    const resume = new Promise<void>((res) =>
      setTimeout(async () => {
        await hh.provider.request({ method: "evm_setAutomine", params: [true] });
        await hh.provider.request({ method: "evm_mine", params: [] });
        res();
      }, 1_200),
    );
    const r = await runRunbook(
      { ...rb, steps: rb.steps.slice(0, 2) },
      { client: conn.client, chainId: conn.chainId, journalFile: file, wallet, bumpAfterMs: 300, maxBumps: 6 },
    );
    await resume;
    assert.equal(r.status, "completed");
    const sent = Journal.load(file).events.filter((e) => e.t === "sent" && e.id === "deploy:usdc");
    assert.ok(sent.length >= 2, `${sent.length} hash(es) journaled for the deploy`);
    const done = Journal.load(file).step("deploy:usdc").done!;
    assert.equal(done.hash, (sent.at(-1) as { hash: string }).hash, "the last replacement is the one mined");
    assert.equal(await conn.client.getTransactionCount({ address: accts[0]! }), nonce0 + 2, "one transaction per step");
    rmSync(dir, { recursive: true, force: true });
  });
});
