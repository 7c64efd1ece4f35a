// Fault tests on the real vault and order books in 2,000,000-gas blocks: RPC failures and
// timeouts mid-loop, reverting liquidations, a keeper killed mid-cascade, two keepers on one store
// (a SQLite file, and a real PostgreSQL cluster).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { keccak256, toHex, type PublicClient } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { Keeper, type KeeperOptions } from "../../../src/keeper/keeper.ts";
import { SqliteStore } from "../../../src/keeper/sqliteStore.ts";
import { PgStore } from "../../../src/keeper/pgStore.ts";
import type { KeeperStore } from "../../../src/keeper/store.ts";
import { clientFromProvider } from "../../../src/keeper/rpc.ts";
import { buildCascade, type Cascade } from "../../../src/keeper/scenario.ts";
import { drive, liquidationsByUser, openCount } from "../../../src/keeper/drive.ts";
import { coreVaultAbi } from "../../../src/chain/abi/coreVault.ts";
import { flaky, fundedAccounts, mine, setAutomine, type Chain } from "./helpers.ts";
import { startPostgres, type PgCluster } from "../helpers/postgres.ts";

const SYMBOLS = ["ETH-USD", "BTC-USD", "SOL-USD"];

async function setup(victims: number): Promise<{ chain: Chain; c: Cascade; start: bigint }> {
  const chain = await network.create("hub");
  const c = await buildCascade(chain, { symbols: SYMBOLS, victims });
  return { chain, c, start: await c.client.getBlockNumber() };
}

function keeper(c: Cascade, accounts: PrivateKeyAccount[], store: KeeperStore, extra: Partial<KeeperOptions> = {}) {
  return new Keeper({
    client: c.client,
    chainId: c.chainId,
    vault: c.vault,
    accounts,
    store,
    gasBudget: 1_000_000n,
    pokeIntervalMs: 3_600_000,
    retryAfterMs: 0,
    log: () => undefined,
    ...extra,
  });
}

/** Every victim of every market liquidated exactly once since `start`. */
async function assertEachOnce(c: Cascade, start: bigint): Promise<void> {
  const byUser = await liquidationsByUser(c, start);
  for (const m of c.markets)
    for (const v of m.victims) assert.equal(byUser.get(v.toLowerCase()) ?? 0, 1, `${v} liquidated exactly once`);
  assert.equal(await openCount(c), 2 * c.markets.length, "only whale and printer keep positions");
}

const allFlat = (c: Cascade) => async () => (await openCount(c)) === 2 * c.markets.length;

describe("keeper faults", () => {
  it("test_rpcFaults_errorsAndTimeoutsMidLoopNeverStopItNothingMissedOrDoubled", async () => {
    const { chain, c, start } = await setup(5);
    const keys = await fundedAccounts(chain, 3);
    const f = flaky(chain, { failEvery: 8, hangEvery: 30, lostEvery: 15 });
    const client: PublicClient = clientFromProvider({ request: f.request }, c.chainId, 250);
    const k = keeper(c, keys, new SqliteStore(), {
      client,
      stuckMs: 0,
    });
    const r = await drive(chain.provider, c, [k], { maxBlocks: 120, done: allFlat(c) });
    await assertEachOnce(c, start);
    assert.ok(f.stats.failed > 0 && f.stats.hung > 0 && f.stats.lost > 0, JSON.stringify(f.stats));
    const metrics = await k.metrics.registry.metrics();
    assert.match(metrics, /keeper_errors_total\{kind="(rpc|internal)"\} [1-9]/);
    assert.match(metrics, /keeper_errors_total\{kind="timeout"\} [1-9]/);
    assert.ok(r.blocks < 120, `finished in ${r.blocks} blocks`);
  });

  it("test_revert_simulationRevertNotSentThenRetriedMinedRevertCountedAndLoopGoesOn", async () => {
    const { chain, c, start } = await setup(3);
    const [admin] = await chain.viem.getWalletClients();
    const pauser = keccak256(toHex("PAUSER_ROLE"));
    await admin!.writeContract({
      address: c.vault,
      abi: coreVaultAbi,
      functionName: "grantRole",
      args: [pauser, admin!.account.address],
    });
    await admin!.writeContract({ address: c.vault, abi: coreVaultAbi, functionName: "pause", args: [] });
    // Paused vault: every liquidation simulation reverts, so nothing is sent.
    const keys = await fundedAccounts(chain, 2);
    const k = keeper(c, keys, new SqliteStore());
    await k.tick();
    for (const a of keys) assert.equal(await c.client.getTransactionCount({ address: a.address }), 0);
    assert.match(await k.metrics.registry.metrics(), /keeper_dropped_total\{reason="revert"\} [1-9]/);
    await admin!.writeContract({ address: c.vault, abi: coreVaultAbi, functionName: "unpause", args: [] });

    // A second keeper with its own store (no coordination): both simulate fine, both send for the
    // same accounts in the same block, the later ones revert on chain. Counted, dropped, loop goes on.
    const rogue = keeper(c, await fundedAccounts(chain, 2), new SqliteStore());
    const r = await drive(chain.provider, c, [k, rogue], { maxBlocks: 30, done: allFlat(c) });
    await assertEachOnce(c, start);
    assert.ok(r.reverted > 0, "some liquidations reverted on chain");
    const m = (await k.metrics.registry.metrics()) + (await rogue.metrics.registry.metrics());
    assert.match(m, /keeper_errors_total\{kind="revert"\} [1-9]/);
  });

  it("test_killRestart_midCascadeResumesFromJournalNoDuplicateNoMiss", async () => {
    const { chain, c, start } = await setup(6);
    const keys = await fundedAccounts(chain, 2);
    const file = join(mkdtempSync(join(tmpdir(), "keeper-kill-")), "k.sqlite");
    // Keeper A signs and journals, but its broadcasts never reach the node (the process dies
    // between journaling and sending for half of them).
    const fa = flaky(chain, { methods: ["eth_sendRawTransaction"], failEvery: 2 });
    const a = keeper(c, keys, new SqliteStore(file), {
      id: "A",
      client: clientFromProvider({ request: fa.request }, c.chainId),
    });
    await setAutomine(chain, false);
    await a.tick();
    await a.tick();
    const journaled = await a.sender.totalPending();
    assert.ok(journaled >= 4, `A journaled ${journaled}`);
    await mine(chain, 1); // what A did broadcast lands; then A is gone without stop()
    await setAutomine(chain, true);
    // Keeper B: same keys, same store file, new identity.
    const b = keeper(c, keys, new SqliteStore(file), { id: "B" });
    const r = await drive(chain.provider, c, [b], { maxBlocks: 60, done: allFlat(c) });
    await assertEachOnce(c, start);
    assert.equal(r.reverted, 0, "no transaction of B collided with one of A");
    // Every transaction A journaled was resolved (mined or dropped), none left pending.
    for (const key of keys) assert.equal(await b.sender.pendingCount(key.address), 0);
  });

  /** Two keepers with their own keys on one store during a 3-market cascade of 30 accounts;
   * `concurrent`: their ticks interleave (they race for the same accounts) instead of alternating. */
  async function twoKeepersOneStore(open: () => Promise<KeeperStore>, concurrent = false): Promise<void> {
    const { chain, c, start } = await setup(10);
    const [sa, sb] = [await open(), await open()];
    try {
      const a = keeper(c, await fundedAccounts(chain, 2), sa, { id: "A", maxLiquidationsPerMarketTick: 3 });
      const b = keeper(c, await fundedAccounts(chain, 2), sb, { id: "B", maxLiquidationsPerMarketTick: 3 });
      const r = await drive(chain.provider, c, [a, b], { maxBlocks: 60, done: allFlat(c), concurrent });
      await assertEachOnce(c, start); // nothing liquidated twice, nothing missed
      assert.equal(r.reverted, 0, "the shared claims kept the two keepers off each other's accounts");
      assert.ok(a.sentByKind.liquidate > 0 && b.sentByKind.liquidate > 0, JSON.stringify([a.sentByKind, b.sentByKind]));
      assert.equal(a.sentByKind.liquidate + b.sentByKind.liquidate, 30, "one transaction per account");
      const done = (await sa.jobsByStatus("done")).filter((j) => j.kind === "liquidate");
      assert.equal(done.length, 30, "every liquidation job finished once in the shared store");
      assert.deepEqual(new Set(done.map((j) => j.owner)), new Set(["A", "B"]));
    } finally {
      await sa.close();
      await sb.close();
    }
  }

  it("test_twoKeepers_oneSharedSqliteFile_eachAccountOnceWorkShared", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "keeper-shared-")), "k.sqlite");
    await twoKeepersOneStore(async () => new SqliteStore(file));
  });

  describe("on PostgreSQL", () => {
    let pg: PgCluster;
    before(async () => {
      pg = await startPostgres();
    });
    after(async () => pg.stop());

    it("test_twoKeepers_onePostgresStore_eachAccountOnceWorkShared", async () => {
      const schema = pg.freshSchema();
      await twoKeepersOneStore(() => PgStore.open(pg.url, { schema }));
    });

    it("test_twoKeepers_onePostgresStore_racingTicks_eachAccountOnce", async () => {
      const schema = pg.freshSchema();
      await twoKeepersOneStore(() => PgStore.open(pg.url, { schema }), true);
    });
  });
});
