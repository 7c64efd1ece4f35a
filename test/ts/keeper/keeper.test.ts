import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import { getAbiItem, type Abi } from "viem";
import { mockUsdcAbi } from "../../../src/chain/abi/mockUsdc.ts";
import { coreVaultAbi } from "../../../src/chain/abi/coreVault.ts";
import { Keeper } from "../../../src/keeper/keeper.ts";
import { SqliteStore } from "../../../src/keeper/sqliteStore.ts";
import { fillsPlanner } from "../../../src/keeper/rewards.ts";
import { buildCascade } from "../../../src/keeper/scenario.ts";
import { drive, liquidationsByUser, openCount } from "../../../src/keeper/drive.ts";
import { orderBookAbi, vaultAbi } from "../../../src/keeper/abi.ts";
import { fundedAccounts } from "./helpers.ts";

describe("Keeper against the real vault and order books (2,000,000-gas blocks)", () => {
  it("test_cascade_everyAccountLiquidatedOnceRewardsSettledAfterUnderBudget", async () => {
    const chain = await network.create("hub");
    const keys = await fundedAccounts(chain, 3);
    const c = await buildCascade(chain, {
      symbols: ["ETH-USD", "BTC-USD"],
      victims: [6, 4],
      rewardKeeper: keys[0]!.address,
    });
    const start = await c.client.getBlockNumber();
    const store = new SqliteStore();
    const k = new Keeper({
      client: c.client,
      chainId: c.chainId,
      vault: c.vault,
      accounts: keys,
      store,
      gasBudget: 1_000_000n,
      pokeIntervalMs: 60_000,
      rewards: { planner: fillsPlanner, fromBlock: start },
      log: () => undefined,
    });
    const r = await drive(chain.provider, c, [k], {
      maxBlocks: 60,
      done: async () =>
        (await openCount(c)) === 4 &&
        (await store.jobsByStatus("sent")).length === 0 &&
        (await store.jobsByStatus("done")).filter((j) => j.kind === "reward").length === 10,
    });
    // whale + printer per market remain: every victim is flat
    assert.equal(await openCount(c), 4);
    const byUser = await liquidationsByUser(c, start);
    for (const m of c.markets)
      for (const v of m.victims) assert.equal(byUser.get(v.toLowerCase()), 1, `${v} liquidated exactly once`);
    assert.equal(r.reverted, 0, "nothing sent that reverted");
    assert.ok(r.maxTxGas <= 1_000_000n, `max tx gas ${r.maxTxGas}`);
    assert.ok(r.maxBlockGas <= 2_000_000n);
    // Maker rewards: every accrual settled once, nothing left pending in any book.
    assert.equal(r.rewardSettlements, 10, "one settlement per liquidation (one maker each)");
    // Settlements were deferred until no account was at risk: none mined before the last liquidation.
    const kinds = r.order;
    assert.ok(kinds.lastIndexOf("liquidateUser") < kinds.indexOf("settleMakerRewards"), kinds.join(","));
    for (const m of c.markets)
      assert.equal(
        await c.client.readContract({ address: m.book, abi: orderBookAbi, functionName: "makerRewardPending" }),
        0n,
      );
    const metrics = await k.metrics.registry.metrics();
    assert.match(metrics, /keeper_liquidations_total\{market="0x[0-9a-f]+"\} 6/);
    assert.match(metrics, /keeper_tx_gas_used_count\{kind="liquidate"\} 10/);
  });

  it("test_badDebt_socializedFromOpenProfitAfterLiquidations", async () => {
    const chain = await network.create("hub");
    const [key] = await fundedAccounts(chain, 1);
    // Longs of 1 unit at 1,000 with 101 USDC each, crash to 880; a bidder at 881 takes the closes,
    // so each victim loses 119, 18 more than it has. Insurance is empty: the closes leave a market
    // deficit, and the whale's short from 1,000 stays open in profit.
    const c = await buildCascade(chain, { victims: 3, deposit: 101_000_000n, crashTo: 880_000_000n });
    const m = c.markets[0]!;
    const [, bidder] = await chain.viem.getWalletClients();
    const bidderAddr = bidder!.account.address;
    const usdcAmount = 100_000_000_000n;
    const send = async (address: `0x${string}`, abi: Abi, functionName: string, args: unknown[]) => {
      const hash = await bidder!.writeContract({ address, abi, functionName, args } as never);
      await chain.provider.request({ method: "evm_mine", params: [] });
      assert.equal((await c.client.getTransactionReceipt({ hash })).status, "success");
    };
    await send(c.usdc, mockUsdcAbi, "mint", [bidderAddr, usdcAmount]);
    await send(c.usdc, mockUsdcAbi, "approve", [c.vault, usdcAmount]);
    await send(c.vault, coreVaultAbi, "deposit", [usdcAmount]);
    await send(m.book, c.bookAbi, "placeMarginLimitOrder", [881_000_000n, 3n * 10n ** 18n, true]);
    const read = (functionName: string, args: unknown[]) =>
      c.client.readContract({ address: c.vault, abi: vaultAbi, functionName, args } as never) as Promise<bigint>;
    const k = new Keeper({
      client: c.client,
      chainId: c.chainId,
      vault: c.vault,
      accounts: [key!],
      store: new SqliteStore(),
      pokeIntervalMs: 60_000,
      log: () => undefined,
    });
    let peak = 0n;
    const r = await drive(chain.provider, c, [k], {
      maxBlocks: 30,
      onBlock: async () => {
        const d = await read("marketDeficit", [m.marketId]);
        if (d > peak) peak = d;
      },
      done: async () => (await openCount(c)) === 3 && (await read("marketDeficit", [m.marketId])) === 0n,
    });
    assert.ok(peak > 0n, "the closes left bad debt");
    assert.equal(await read("marketDeficit", [m.marketId]), 0n, "the deficit was recovered");
    assert.equal(r.reverted, 0);
    const kinds = r.order;
    assert.ok(kinds.includes("socializeDeficit"), kinds.join(","));
    assert.ok(kinds.lastIndexOf("liquidateUser") < kinds.indexOf("socializeDeficit"), "liquidations first");
    // Flat victims are never touched: their balances stay 0 after the haircut.
    for (const v of m.victims) assert.equal(await read("balanceOf", [v]), 0n);
    assert.match(await k.metrics.registry.metrics(), /keeper_socializations_total\{market="0x[0-9a-f]+"\} [1-9]/);
  });

  it("test_liquidate_worstAccountFirst", async () => {
    const chain = await network.create("hub");
    const [key] = await fundedAccounts(chain, 1);
    // 5 longs of 1 unit at 1,000 with deposits 140, 110, 130, 105, 120: at 905 the 105 one is the worst.
    const deposits = ["140", "110", "130", "105", "120"].map((d) => BigInt(d) * 10n ** 6n);
    const c = await buildCascade(chain, { victims: 5, deposits });
    const k = new Keeper({
      client: c.client,
      chainId: c.chainId,
      vault: c.vault,
      accounts: [key!],
      store: new SqliteStore(),
      maxLiquidationsPerMarketTick: 5,
      log: () => undefined,
    });
    const victims = c.markets[0]!.victims;
    const r = await drive(chain.provider, c, [k], { maxBlocks: 10, done: async () => (await openCount(c)) === 2 });
    assert.equal(r.liquidations, 5);
    // Mined order = send order (one key, consecutive nonces).
    const logs = await c.client.getLogs({
      address: c.markets[0]!.book,
      event: getAbiItem({ abi: orderBookAbi, name: "UserLiquidated" }),
      fromBlock: 0n,
    });
    const order = logs.map((l) => victims.findIndex((v) => v.toLowerCase() === String(l.args.user).toLowerCase()));
    assert.deepEqual(order, [3, 1, 4, 2, 0], "lowest equity / maintenance first");
  });
});
