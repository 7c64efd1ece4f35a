import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { encodeFunctionData, parseAbi, type PublicClient } from "viem";
import { TxSender } from "../../../src/keeper/sender.ts";
import { SqliteStore } from "../../../src/keeper/sqliteStore.ts";
import { clientFromProvider } from "../../../src/keeper/rpc.ts";
import { fundedAccounts, hubChain, mine, setAutomine, type Chain } from "./helpers.ts";

const usdcAbi = parseAbi([
  "function mint(address to, uint256 amount)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
]);

describe("TxSender on the hub chain (2,000,000-gas blocks)", () => {
  let chain: Chain;
  let client: PublicClient;
  let usdc: `0x${string}`;
  const mint = (to: `0x${string}`, amount: bigint) =>
    encodeFunctionData({ abi: usdcAbi, functionName: "mint", args: [to, amount] });

  before(async () => {
    chain = await hubChain();
    client = clientFromProvider(chain.provider, 999);
    usdc = (await chain.viem.deployContract("MockUSDC", [6])).address;
  });

  it("test_submit_estimatesSendsAndReportsGasUsed", async () => {
    const [a] = await fundedAccounts(chain, 1);
    const store = new SqliteStore();
    const s = new TxSender({ client, chainId: 999, accounts: [a!], store, owner: "t" });
    await store.claim("j1", "poke", "m", "t", 60_000);
    const r = await s.submit("j1", usdc, mint(a!.address, 5n));
    assert.equal(r.kind, "sent");
    assert.ok(r.kind === "sent" && r.tx.gasLimit <= s.gasBudget && r.tx.gasLimit > r.gasEstimate);
    const out = await s.poll();
    assert.equal(out.length, 1);
    assert.equal(out[0]?.status, "mined");
    assert.ok(out[0]!.tx.gasUsed > 21_000n);
    assert.equal(
      await client.readContract({ address: usdc, abi: usdcAbi, functionName: "balanceOf", args: [a!.address] }),
      5n,
    );
  });

  it("test_submit_overBudgetRefusedNothingSent", async () => {
    const [a] = await fundedAccounts(chain, 1);
    const s = new TxSender({
      client,
      chainId: 999,
      accounts: [a!],
      store: new SqliteStore(),
      owner: "t",
      gasBudget: 30_000n,
    });
    const r = await s.submit("j", usdc, mint(a!.address, 5n));
    assert.equal(r.kind, "over_budget");
    assert.ok(r.kind === "over_budget" && r.gasEstimate > 30_000n);
    assert.equal(await client.getTransactionCount({ address: a!.address }), 0);
  });

  it("test_submit_revertingSimulationDroppedNotSent", async () => {
    const [a, b] = await fundedAccounts(chain, 2);
    const s = new TxSender({ client, chainId: 999, accounts: [a!], store: new SqliteStore(), owner: "t" });
    const data = encodeFunctionData({ abi: usdcAbi, functionName: "transfer", args: [b!.address, 1n] });
    const r = await s.submit("j", usdc, data);
    assert.equal(r.kind, "reverted");
    assert.equal(await client.getTransactionCount({ address: a!.address }), 0);
  });

  it("test_submit_atMostEightPendingPerLaneThenLanesFull", async () => {
    const accounts = await fundedAccounts(chain, 2);
    const store = new SqliteStore();
    const s = new TxSender({ client, chainId: 999, accounts, store, owner: "t" });
    await setAutomine(chain, false);
    try {
      const results = [];
      for (let i = 0; i < 20; i++) results.push((await s.submit(`j${i}`, usdc, mint(accounts[0]!.address, 1n))).kind);
      assert.equal(results.filter((k) => k === "sent").length, 16);
      assert.deepEqual(results.slice(16), ["lanes_full", "lanes_full", "lanes_full", "lanes_full"]);
      for (const a of accounts) {
        assert.equal(await s.pendingCount(a.address), 8);
        assert.deepEqual(
          (await store.pendingTxs(a.address)).map((t) => t.nonce),
          [0, 1, 2, 3, 4, 5, 6, 7],
        );
      }
      await mine(chain, 2);
      const out = await s.poll();
      assert.equal(out.filter((o) => o.status === "mined").length, 16);
      assert.equal(await s.totalPending(), 0);
    } finally {
      await setAutomine(chain, true);
    }
  });

  it("test_poll_stuckTxReplacedSameNonceMinedOnce", async () => {
    const [a] = await fundedAccounts(chain, 1);
    const store = new SqliteStore();
    const s = new TxSender({ client, chainId: 999, accounts: [a!], store, owner: "t", stuckMs: 0 });
    await setAutomine(chain, false);
    try {
      const r = await s.submit("stuck", usdc, mint(a!.address, 7n));
      assert.equal(r.kind, "sent");
      assert.deepEqual(await s.poll(), [], "not mined yet: replaced");
      const attempts = await store.txsForJob("stuck");
      assert.equal(attempts.length, 2);
      assert.equal(attempts[0]!.nonce, attempts[1]!.nonce);
      assert.ok(attempts[1]!.maxFeePerGas > attempts[0]!.maxFeePerGas);
      await mine(chain, 2);
      const out = await s.poll();
      assert.equal(out.length, 1, "one outcome for the job");
      assert.equal(out[0]!.tx.hash, attempts[1]!.hash, "the bumped replacement won");
      assert.deepEqual((await store.txsForJob("stuck")).map((t) => t.status).sort(), ["mined", "replaced"]);
      assert.equal(
        await client.readContract({ address: usdc, abi: usdcAbi, functionName: "balanceOf", args: [a!.address] }),
        7n,
      );
    } finally {
      await setAutomine(chain, true);
    }
  });

  it("test_restart_newSenderResumesNoncesFromStore", async () => {
    const [a] = await fundedAccounts(chain, 1);
    const store = new SqliteStore();
    await setAutomine(chain, false);
    try {
      const s1 = new TxSender({ client, chainId: 999, accounts: [a!], store, owner: "t1" });
      await s1.submit("r1", usdc, mint(a!.address, 1n));
      await s1.submit("r2", usdc, mint(a!.address, 1n));
      // "Restart": a fresh sender on the same store and key continues at nonce 2, and resolves 0 and 1.
      const s2 = new TxSender({ client, chainId: 999, accounts: [a!], store, owner: "t2" });
      assert.equal(await s2.pendingCount(a!.address), 2);
      const r3 = await s2.submit("r3", usdc, mint(a!.address, 1n));
      assert.equal(r3.kind === "sent" && r3.tx.nonce, 2);
      await mine(chain, 1);
      const out = await s2.poll();
      assert.deepEqual(out.map((o) => o.jobKey).sort(), ["r1", "r2", "r3"]);
    } finally {
      await setAutomine(chain, true);
    }
  });
});
