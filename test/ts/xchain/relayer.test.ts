import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { concat, getAddress, parseUnits, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { setupXchain, SPOKE_CHAIN_ID, type Xchain } from "../../../src/chain/localXchain.ts";
import { Relayer } from "../../../src/relayer/relayer.ts";
import { RelayerStore } from "../../../src/relayer/store.ts";
import { LocalSigner, collectProof } from "../../../src/relayer/signers.ts";
import { startHealthServer } from "../../../src/relayer/health.ts";
import { expectRevert, tempDbPath } from "./helpers.ts";

const usd = (s: string) => parseUnits(s, 6);

async function asUser(x: Xchain, i: number) {
  const hubWallet = x.hubUsers[i]!;
  const spokeWallet = x.spokeUsers[i]!;
  const addr = getAddress(hubWallet.account.address);
  assert.equal(addr, getAddress(spokeWallet.account.address), "same EOA on both chains");
  const spoke = await x.spokeViem.getContractAt("SpokeVault", x.spoke.address, { client: { wallet: spokeWallet } });
  const usdc = await x.spokeViem.getContractAt("MockUSDC", x.usdc.address, { client: { wallet: spokeWallet } });
  const hub = await x.hubViem.getContractAt("CollateralHub", x.hub.address, { client: { wallet: hubWallet } });
  return {
    addr,
    async deposit(amount: bigint) {
      await x.usdc.write.mint!([addr, amount]);
      await x.spokePublic.waitForTransactionReceipt({ hash: await usdc.write.approve!([x.spoke.address, amount]) });
      const hash = await spoke.write.deposit!([amount]);
      return x.spokePublic.waitForTransactionReceipt({ hash });
    },
    async withdraw(amount: bigint) {
      const hash = await hub.write.requestWithdrawal!([SPOKE_CHAIN_ID, amount]);
      return x.hubPublic.waitForTransactionReceipt({ hash });
    },
    hub,
    spoke,
  };
}

function newRelayer(x: Xchain, dbPath: string, extra: Partial<ConstructorParameters<typeof Relayer>[0]> = {}) {
  return new Relayer({
    routes: x.routes,
    signers: x.signers,
    store: new RelayerStore(dbPath),
    pollIntervalMs: 10,
    backoffBaseMs: 0,
    ...extra,
  });
}

const spokeBalance = (x: Xchain, who: Address) => x.usdc.read.balanceOf!([who]) as Promise<bigint>;

describe("cross-chain collateral: spoke -> hub -> spoke through the relayer", () => {
  let x: Xchain;
  before(async () => {
    x = await setupXchain();
  });

  it("credits a spoke deposit on the hub and releases a withdrawal back on the spoke", async () => {
    const alice = await asUser(x, 0);
    const relayer = newRelayer(x, tempDbPath());
    await alice.deposit(usd("500"));
    assert.equal(await x.vault.externalCreditOf(alice.addr), 0n, "nothing before the relayer runs");

    await relayer.tick();
    assert.equal(await x.vault.externalCreditOf(alice.addr), usd("500"));
    assert.equal(await x.hub.read.creditedFrom!([alice.addr, SPOKE_CHAIN_ID]), usd("500"));
    assert.equal(await spokeBalance(x, x.spoke.address), usd("500"), "USDC stays on the spoke");
    const known = await x.vault.contract.read.getKnownUsersPage([0n, 100n]);
    assert.ok(known.map((a) => getAddress(a)).includes(alice.addr), "alice is in the vault's known-users page");

    const before = await spokeBalance(x, alice.addr);
    const w = await alice.withdraw(usd("200"));
    assert.ok(w.gasUsed < 500_000n, `withdrawal request fits a small block (${w.gasUsed})`);
    await relayer.tick();
    assert.equal(await spokeBalance(x, alice.addr), before + usd("200"));
    assert.equal(await x.vault.externalCreditOf(alice.addr), usd("300"));
    const h = relayer.health();
    assert.equal(h.delivered, 2);
    assert.equal(h.pending, 0);
    assert.equal(h.failed, 0);
    for (const r of h.routes) assert.equal(r.lagBlocks, 0n, `${r.route} caught up`);
    relayer.store.close();
  });

  it("refuses a replayed deposit, forged or below-threshold signatures, and a release without a message", async () => {
    const bob = await asUser(x, 1);
    const dbPath = tempDbPath();
    const relayer = newRelayer(x, dbPath);
    await bob.deposit(usd("50"));
    await relayer.tick();
    const [delivered] = relayer.store.all().filter((m) => m.message.user === bob.addr);
    assert.ok(delivered && delivered.status === "delivered");
    const deposits = x.routes[0]!;
    const withdrawals = x.routes[1]!;

    // replay: a fresh, valid proof for an already credited message
    const proof = await collectProof(x.signers, deposits, delivered, 2);
    await expectRevert(x.hub.write.receiveDeposit!([delivered.message, proof]), "MessageAlreadyProcessed");
    assert.equal(await x.vault.externalCreditOf(bob.addr), usd("50"), "credited once");

    // forged: a made-up deposit signed by keys outside the signer set
    const forged = { ...delivered, message: { ...delivered.message, nonce: 999n, amount: usd("1000") } };
    const outsiders = [generatePrivateKey(), generatePrivateKey()].map((k) => privateKeyToAccount(k));
    const forgedSigs = await Promise.all(
      outsiders.map((a) =>
        a.signTypedData({
          domain: {
            name: "Dexetra ThresholdVerifier",
            version: "1",
            chainId: 999n,
            verifyingContract: x.hubVerifier.address,
          },
          types: {
            Message: [
              { name: "kind", type: "uint8" },
              { name: "srcChainId", type: "uint64" },
              { name: "srcContract", type: "address" },
              { name: "dstChainId", type: "uint64" },
              { name: "dstContract", type: "address" },
              { name: "nonce", type: "uint64" },
              { name: "user", type: "address" },
              { name: "amount", type: "uint256" },
            ],
          },
          primaryType: "Message",
          message: forged.message,
        }),
      ),
    );
    const sorted = outsiders
      .map((a, i) => ({ a: a.address, s: forgedSigs[i]! }))
      .sort((p, q) => (BigInt(p.a) < BigInt(q.a) ? -1 : 1));
    await expectRevert(x.hub.write.receiveDeposit!([forged.message, concat(sorted.map((p) => p.s))]), "UnknownSigner");

    // the real signers refuse to sign a message that is not on the source chain
    await assert.rejects(collectProof(x.signers, deposits, forged, 2), { code: "NOT_ENOUGH_SIGNATURES" });

    // below threshold: a genuine, not yet delivered deposit with one genuine signature
    await bob.deposit(usd("7"));
    await relayer.scan(deposits);
    const fresh = relayer.store.all().find((m) => m.status === "pending" && m.message.user === bob.addr)!;
    const one = await x.signers[0]!.attest(deposits, fresh);
    await expectRevert(x.hub.write.receiveDeposit!([fresh.message, one]), "NotEnoughSignatures");
    await relayer.tick();
    assert.equal(await x.vault.externalCreditOf(bob.addr), usd("57"), "delivered with the full threshold");

    // release without a message: a withdrawal the hub never sent, with no proof / one signer
    const fake = {
      kind: 2,
      srcChainId: 999n,
      srcContract: x.hub.address,
      dstChainId: SPOKE_CHAIN_ID,
      dstContract: x.spoke.address,
      nonce: 777n,
      user: bob.addr,
      amount: usd("50"),
    };
    await expectRevert(x.spoke.write.receiveWithdrawal!([fake, "0x"]), "NotEnoughSignatures");
    const fakeTracked = { ...delivered, route: withdrawals.name, message: fake, id: ("0x" + "11".repeat(32)) as Hex };
    await assert.rejects(collectProof(x.signers, withdrawals, fakeTracked, 2), { code: "NOT_ENOUGH_SIGNATURES" });
    relayer.store.close();
  });

  it("refuses a withdrawal by anyone but the user or the user's signature", async () => {
    const carol = await asUser(x, 2);
    const mallory = await asUser(x, 3);
    const relayer = newRelayer(x, tempDbPath());
    await carol.deposit(usd("80"));
    await relayer.tick();
    await expectRevert(mallory.withdraw(usd("80")), "InsufficientSpokeCredit", x.hub.abi);

    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const nonce = (await x.hub.read.nonces!([carol.addr])) as bigint;
    const digest = (await x.hub.read.withdrawalDigest!([
      carol.addr,
      SPOKE_CHAIN_ID,
      usd("80"),
      nonce,
      deadline,
    ])) as Hex;
    // mallory signs carol's withdrawal: refused
    const malloryWallet = x.hubUsers[3]!;
    const badSig = await malloryWallet.signTypedData({
      domain: { name: "Dexetra CollateralHub", version: "1", chainId: 999n, verifyingContract: x.hub.address },
      types: {
        Withdrawal: [
          { name: "user", type: "address" },
          { name: "dstChainId", type: "uint64" },
          { name: "amount", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Withdrawal",
      message: { user: carol.addr, dstChainId: SPOKE_CHAIN_ID, amount: usd("80"), nonce, deadline },
    });
    await expectRevert(
      mallory.hub.write.requestWithdrawalWithSig!([carol.addr, SPOKE_CHAIN_ID, usd("80"), deadline, badSig]),
      "InvalidUserSignature",
      x.hub.abi,
    );
    // carol's own signature, submitted by mallory (a gasless relay): accepted, paid to carol
    const goodSig = await x.hubUsers[2]!.signTypedData({
      domain: { name: "Dexetra CollateralHub", version: "1", chainId: 999n, verifyingContract: x.hub.address },
      types: {
        Withdrawal: [
          { name: "user", type: "address" },
          { name: "dstChainId", type: "uint64" },
          { name: "amount", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Withdrawal",
      message: { user: carol.addr, dstChainId: SPOKE_CHAIN_ID, amount: usd("80"), nonce, deadline },
    });
    assert.ok(digest.length === 66);
    const before = await spokeBalance(x, carol.addr);
    await x.hubPublic.waitForTransactionReceipt({
      hash: await mallory.hub.write.requestWithdrawalWithSig!([
        carol.addr,
        SPOKE_CHAIN_ID,
        usd("80"),
        deadline,
        goodSig,
      ]),
    });
    await relayer.tick();
    assert.equal(await spokeBalance(x, carol.addr), before + usd("80"));
    assert.equal(await spokeBalance(x, mallory.addr), 0n);
    relayer.store.close();
  });

  it("records a permanent refusal with its reason and does not retry it; an operator can requeue", async () => {
    const dave = await asUser(x, 4);
    const relayer = newRelayer(x, tempDbPath());
    await dave.deposit(usd("300"));
    await relayer.tick();
    // the spoke's release cap per message drops below the pending withdrawal
    const small = { maxPerMessage: usd("100"), maxPerPeriod: usd("1000"), period: 86_400n };
    await x.spoke.write.setLimits!([x.limits, small]);
    await dave.withdraw(usd("250"));
    await relayer.tick();
    await relayer.tick();
    await relayer.tick();
    const [msg] = relayer.store.all().filter((m) => m.message.kind === 2 && m.message.user === dave.addr);
    assert.ok(msg);
    assert.equal(msg.status, "failed");
    assert.equal(msg.attempts, 1, "not retried");
    assert.match(msg.lastError ?? "", /AmountAboveMessageLimit/);
    assert.equal(relayer.health().failed, 1);

    await x.spoke.write.setLimits!([x.limits, x.limits]);
    assert.equal(relayer.requeue(msg.id), true);
    const before = await spokeBalance(x, dave.addr);
    await relayer.tick();
    assert.equal(await spokeBalance(x, dave.addr), before + usd("250"));
    assert.equal(relayer.store.get(msg.id)?.status, "delivered");
    relayer.store.close();
  });

  it("retries a transient refusal with backoff and gives up after maxAttempts", async () => {
    const erin = await asUser(x, 5);
    const relayer = newRelayer(x, tempDbPath(), { maxAttempts: 3 });
    await x.hub.write.pause!();
    await erin.deposit(usd("40"));
    await relayer.tick();
    let [msg] = relayer.store.all().filter((m) => m.message.user === erin.addr);
    assert.equal(msg?.status, "pending");
    assert.equal(msg?.attempts, 1);
    assert.match(msg?.lastError ?? "", /EnforcedPause/);
    await relayer.tick();
    await relayer.tick();
    [msg] = relayer.store.all().filter((m) => m.message.user === erin.addr);
    assert.equal(msg?.status, "failed");
    assert.equal(msg?.attempts, 3);
    assert.match(msg?.lastError ?? "", /gave up after 3 attempts: EnforcedPause/);
    await x.hub.write.unpause!();
    relayer.requeue(msg!.id);
    await relayer.tick();
    assert.equal(await x.vault.externalCreditOf(erin.addr), usd("40"));
    relayer.store.close();
  });

  it("keeps working across a signer rotation: old keys are refused on chain, the new set delivers", async () => {
    const gina = await asUser(x, 7);
    const relayer = newRelayer(x, tempDbPath());
    await gina.deposit(usd("90"));
    await relayer.tick();
    const fresh = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()].map((k) => privateKeyToAccount(k));
    const addrs = fresh.map((a) => a.address);
    await x.spokeVerifier.write.rotateSigners!([addrs, 2n]);
    await gina.withdraw(usd("30"));
    await relayer.tick(); // still signing with the retired set
    const [w] = relayer.store.all().filter((m) => m.message.kind === 2 && m.message.user === gina.addr);
    assert.equal(w?.status, "failed");
    assert.match(w?.lastError ?? "", /refused: UnknownSigner/);

    const rotated = new Relayer({
      routes: x.routes,
      signers: fresh.map((a) => new LocalSigner(a)),
      store: relayer.store,
      backoffBaseMs: 0,
    });
    rotated.requeue(w!.id);
    const before = await spokeBalance(x, gina.addr);
    await rotated.tick();
    assert.equal(await spokeBalance(x, gina.addr), before + usd("30"));
    await x.spokeVerifier.write.rotateSigners!([x.signers.map((s) => s.address), 2n]); // restore for the next tests
    relayer.store.close();
  });

  it("serves /health and /metrics with delivered, pending, failed and lag", async () => {
    const relayer = newRelayer(x, tempDbPath());
    relayer.start();
    const health = await startHealthServer(relayer);
    try {
      const frank = await asUser(x, 6);
      await frank.deposit(usd("10"));
      for (let i = 0; i < 100 && (await x.vault.externalCreditOf(frank.addr)) === 0n; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(await x.vault.externalCreditOf(frank.addr), usd("10"));
      const res = await fetch(`${health.url}/health`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        status: string;
        delivered: number;
        pending: number;
        failed: number;
        routes: { lagBlocks: string }[];
      };
      assert.equal(body.status, "ok");
      assert.ok(body.delivered >= 1);
      assert.equal(body.routes.length, 2);
      const metrics = await (await fetch(`${health.url}/metrics`)).text();
      assert.match(metrics, /dexetra_relayer_messages\{status="delivered"\} \d+/);
      assert.match(metrics, /dexetra_relayer_lag_blocks\{route="deposits:42161->999"\} \d+/);
    } finally {
      await relayer.stop();
      const res = await fetch(`${health.url}/health`);
      assert.equal(res.status, 503, "stopped relayer is unhealthy");
      await health.close();
      relayer.store.close();
    }
  });
});
