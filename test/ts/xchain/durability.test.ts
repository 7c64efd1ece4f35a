import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { getAddress, parseUnits } from "viem";
import { setupXchain, SPOKE_CHAIN_ID, type Xchain } from "../../../src/chain/localXchain.ts";
import { Relayer } from "../../../src/relayer/relayer.ts";
import { RelayerStore } from "../../../src/relayer/store.ts";
import { collectProof } from "../../../src/relayer/signers.ts";
import { tempDbPath } from "./helpers.ts";

const usd = (s: string) => parseUnits(s, 6);

function relayerOn(x: Xchain, dbPath: string) {
  return new Relayer({ routes: x.routes, signers: x.signers, store: new RelayerStore(dbPath), pollIntervalMs: 5 });
}

async function deposit(x: Xchain, i: number, amount: bigint) {
  const w = x.spokeUsers[i]!;
  const usdc = await x.spokeViem.getContractAt("MockUSDC", x.usdc.address, { client: { wallet: w } });
  const spoke = await x.spokeViem.getContractAt("SpokeVault", x.spoke.address, { client: { wallet: w } });
  await usdc.write.mint!([w.account.address, amount]);
  await usdc.write.approve!([x.spoke.address, amount]);
  await x.spokePublic.waitForTransactionReceipt({ hash: await spoke.write.deposit!([amount]) });
  return getAddress(w.account.address);
}

describe("relayer durability across a crash and restart", () => {
  let x: Xchain;
  before(async () => {
    x = await setupXchain();
  });

  it("delivers everything it had recorded before being killed, exactly once, without rescanning", async () => {
    const db = tempDbPath();
    const users = [await deposit(x, 0, usd("10")), await deposit(x, 1, usd("20")), await deposit(x, 2, usd("30"))];
    const first = relayerOn(x, db);
    const added = await first.scan(x.routes[0]!);
    assert.equal(added, 3);
    const cursor = first.store.cursor(x.routes[0]!.name);
    // killed here: nothing delivered, the process and its handle gone
    first.store.close();

    const second = relayerOn(x, db);
    assert.equal(second.store.cursor(x.routes[0]!.name), cursor, "cursor survived");
    assert.equal(second.health().pending, 3, "in-flight messages survived");
    await second.tick();
    for (const [i, u] of users.entries()) {
      assert.equal(await x.vault.externalCreditOf(u), usd(String((i + 1) * 10)), `user ${i} credited once`);
    }
    assert.equal(second.health().delivered, 3);
    assert.equal(second.health().sent, 3, "one transaction per message");
    second.store.close();
  });

  it("does not send again a message whose delivery landed just before the crash", async () => {
    const db = tempDbPath();
    const u = await deposit(x, 3, usd("45"));
    const first = relayerOn(x, db);
    await first.scan(x.routes[0]!);
    const inFlight = first.store.due(Date.now(), 10).find((m) => m.message.user === u)!;
    // the crashed relayer's transaction: sent and mined, but never recorded as delivered
    const proof = await collectProof(x.signers, x.routes[0]!, inFlight, 2);
    await x.hubPublic.waitForTransactionReceipt({
      hash: await x.hub.write.receiveDeposit!([inFlight.message, proof]),
    });
    first.store.close();

    const second = relayerOn(x, db);
    await second.tick();
    assert.equal(second.store.get(inFlight.id)?.status, "delivered");
    assert.equal(second.health().sent, 0, "no second transaction");
    assert.equal(await x.vault.externalCreditOf(u), usd("45"), "credited once");
    second.store.close();
  });

  it("stops and restarts its loop while deposits and withdrawals keep coming", async () => {
    const db = tempDbPath();
    const r1 = relayerOn(x, db);
    r1.start();
    const a = await deposit(x, 4, usd("5"));
    const b = await deposit(x, 5, usd("6"));
    await r1.stop();
    r1.store.close();
    const c = await deposit(x, 6, usd("7"));
    const hubUser = await x.hubViem.getContractAt("CollateralHub", x.hub.address, {
      client: { wallet: x.hubUsers[4]! },
    });
    const r2 = relayerOn(x, db);
    await r2.tick(); // a, b (if r1 missed them) and c
    await hubUser.write.requestWithdrawal!([SPOKE_CHAIN_ID, usd("5")]);
    await r2.tick();
    assert.equal(await x.vault.externalCreditOf(a), 0n, "a withdrew everything back");
    assert.equal(await x.vault.externalCreditOf(b), usd("6"));
    assert.equal(await x.vault.externalCreditOf(c), usd("7"));
    const all = r2.store.all();
    assert.equal(new Set(all.map((m) => m.id)).size, all.length, "no message recorded twice");
    assert.ok(all.every((m) => m.status === "delivered"));
    r2.store.close();
  });

  it("swaps the vault with setCoreVaultParams mid-flight; the spoke is untouched", async () => {
    const db = tempDbPath();
    const relayer = relayerOn(x, db);
    const u1 = await deposit(x, 7, usd("100"));
    await relayer.tick();
    const oldVault = x.vault;
    const spokeCodeBefore = await x.spokePublic.getCode({ address: x.spoke.address });
    const spokeNonceBefore = await x.spokePublic.getTransactionCount({ address: x.spokeAdmin.account.address });

    const newVault = await x.deployAnotherVault();
    const operator = x.hubUsers[8]!.account.address;
    await x.hub.write.setCoreVaultParams!([newVault.address, operator]);
    assert.equal(getAddress((await x.hub.read.coreVault!()) as string), getAddress(newVault.address));

    const u2 = await deposit(x, 8, usd("60"));
    await relayer.tick();
    assert.equal(await newVault.externalCreditOf(u2), usd("60"), "new credits go to the new vault");
    assert.equal(await oldVault.externalCreditOf(u2), 0n);
    assert.equal(await oldVault.externalCreditOf(u1), usd("100"), "old credits stay where they were");
    assert.equal(await x.spokePublic.getCode({ address: x.spoke.address }), spokeCodeBefore);
    assert.equal(
      await x.spokePublic.getTransactionCount({ address: x.spokeAdmin.account.address }),
      spokeNonceBefore,
      "no admin transaction on the spoke",
    );
    relayer.store.close();
  });
});
