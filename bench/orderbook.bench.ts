// Order-book gas from receipts on in-process chains (`node scripts/bench.ts orderbook`).
// Trading paths run on a steady-state market (traders already hold positions and resting orders
// unless the key says newPositions). Liquidation paths run on fresh chains with N users holding a
// position in the market; the population is built by test-support OBPopulationSeeder through the
// real paths (creditExternal + a market order per account, 25 accounts per transaction), never by writing storage. Worst poke: default config, 3 liquidatable users in the
// scanned page, each crossing 3 price levels.
import { network } from "hardhat";
import { getContract, keccak256, parseEventLogs, parseUnits, toHex, type Address, type TransactionReceipt } from "viem";
import { deployMarket, fund, receipt, setBlockGasLimit, type Market } from "../src/chain/orderBookMarket.ts";
import { obSeederAbi } from "../src/chain/abi/obSeeder.ts";
import { formatProfile, profileTx, wantsProfile } from "../src/bench/profile.ts";

const P = (x: string) => parseUnits(x, 6);
const U = (x: string) => parseUnits(x, 18);
const SEED_BATCH = 25;
type Ctx = { m: Market; viem: Awaited<ReturnType<typeof network.create>>["viem"]; accounts: Address[] };

async function fresh(): Promise<Ctx> {
  const { viem } = await network.create("hubBig");
  const m = await deployMarket(viem);
  const accounts = (await viem.getWalletClients()).map((w) => w.account.address);
  return { m, viem, accounts };
}

/** A measured transaction's gas; prints its gas profile when DEXETRA_GAS_PROFILE names `key`. */
async function gas(c: Ctx, key: string, r: TransactionReceipt): Promise<number> {
  if (wantsProfile(key)) {
    const p = await profileTx(c.m.publicClient as never, r.transactionHash, c.m.names);
    console.log(formatProfile(key, p, r.gasUsed));
  }
  return Number(r.gasUsed);
}

async function limit(c: Ctx, who: Address, price: string, amount: string, isBuy: boolean) {
  return receipt(
    c.m.publicClient,
    await c.m.trading.write.placeMarginLimitOrder([P(price), U(amount), isBuy], { account: who }),
  );
}

async function takeMarket(c: Ctx, who: Address, amount: string, isBuy: boolean) {
  return receipt(
    c.m.publicClient,
    await c.m.trading.write.placeMarginMarketOrder([U(amount), isBuy], { account: who }),
  );
}

async function trading(): Promise<Record<string, number>> {
  const c = await fresh();
  const [, a, b, cc, d, e, ...makers] = c.accounts as [Address, Address, Address, Address, Address, Address];
  for (const u of [a, b, cc, d, e, ...makers.slice(0, 10)]) await fund(c.m, u, P("1000000"));
  const out: Record<string, number> = {};
  // First-ever fill for both sides.
  await limit(c, a, "1000", "1", false);
  out["ob.market.fill1.newPositions"] = await gas(c, "ob.market.fill1.newPositions", await takeMarket(c, b, "1", true));
  // Steady state: c and d hold positions and resting orders away from the touch.
  await limit(c, cc, "1000", "1", true);
  await takeMarket(c, d, "1", false);
  for (const u of [a, b, cc, d]) await limit(c, u, "1500", "0.01", false);
  await limit(c, b, "990", "1", true);
  out["ob.limit.newLevel"] = await gas(c, "ob.limit.newLevel", await limit(c, a, "989", "1", true));
  out["ob.limit.existingLevel"] = await gas(c, "ob.limit.existingLevel", await limit(c, cc, "989", "1", true));
  const cancelId = (await c.m.views.read.getUserOrders([a]))[0]!;
  const cancel = await c.m.trading.write.cancelOrder([cancelId], { account: a });
  out["ob.cancel"] = await gas(c, "ob.cancel", await receipt(c.m.publicClient, cancel));
  // The only order of its level: the level is deleted and its bitmap bit cleared.
  await limit(c, a, "950", "1", true);
  const lone = (await c.m.views.read.getUserOrders([a]))[0]!;
  const cancelLone = await c.m.trading.write.cancelOrder([lone], { account: a });
  out["ob.cancel.levelEmptied"] = await gas(c, "ob.cancel.levelEmptied", await receipt(c.m.publicClient, cancelLone));
  await limit(c, a, "1000", "1", false);
  out["ob.market.fill1"] = await gas(c, "ob.market.fill1", await takeMarket(c, b, "1", true));
  // Ten makers that already hold positions, one order each at 1,000.
  const ten = makers.slice(0, 10);
  for (const mk of ten) await limit(c, mk, "1000", "0.01", false);
  await takeMarket(c, e, "0.1", true);
  for (const mk of ten) await limit(c, mk, "1000", "1", false);
  out["ob.market.fill10"] = await gas(c, "ob.market.fill10", await takeMarket(c, e, "10", true));
  // Five levels.
  for (let i = 0; i < 5; i++) await limit(c, a, (1000 + i).toString(), "1", false);
  out["ob.market.sweep5"] = await gas(c, "ob.market.sweep5", await takeMarket(c, b, "5", true));
  for (const f of c.m.facets.facets) {
    const code = await c.m.publicClient.getCode({ address: f.address });
    out[`size.${f.name}`] = ((code?.length ?? 2) - 2) / 2;
  }
  const initCode = await c.m.publicClient.getCode({ address: c.m.facets.init.address });
  out["size.OrderBookInit"] = ((initCode?.length ?? 2) - 2) / 2;
  return out;
}

/** N users with a position: 3 levered victims first, the rest seeded healthy in big batches. */
async function population(n: number, victimsLast = false): Promise<{ c: Ctx; victims: Address[]; keeper: Address }> {
  const c = await fresh();
  const [, mm, bob, dave, alice, keeper, ...rest] = c.accounts as [
    Address,
    Address,
    Address,
    Address,
    Address,
    Address,
  ];
  const victims = rest.slice(0, 3);
  for (const u of [mm, bob, dave, alice]) await fund(c.m, u, P("10000000"));
  for (const v of victims) await fund(c.m, v, P("1000"));
  const seeds = n - 4; // mm and the three victims are the other four
  // One resting ask from mm feeds every account. Victims first in the index: a poke checks four
  // accounts and liquidates three (the same work at every N). victimsLast puts them at indices
  // 17..19, so the poke checks the whole page of 20 before liquidating three.
  await limit(c, mm, "1000", (0.002 * seeds + 28).toFixed(3), false);
  const seederDeploy = await c.viem.deployContract("OBPopulationSeeder");
  const seeder = getContract({
    address: seederDeploy.address,
    abi: obSeederAbi,
    client: { public: c.m.publicClient, wallet: (await c.viem.getWalletClients())[0]! },
  });
  const role = keccak256(toHex("EXTERNAL_CREDITOR_ROLE"));
  await receipt(c.m.publicClient, await c.m.vault.write.grantRole([role, seeder.address]));
  const seed = async (count: number) => {
    // The chain caps one transaction at 2^24 gas (EIP-7825): SEED_BATCH accounts per transaction.
    for (let done = 0; done < count; ) {
      const k = Math.min(SEED_BATCH, count - done);
      const args = [c.m.vault.address, c.m.book, BigInt(k), P("100"), U("0.002"), true] as const;
      await receipt(c.m.publicClient, await seeder.write.seed(args, { gas: 16_000_000n }));
      done += k;
    }
  };
  const before = victimsLast ? Math.min(n, 20) - 4 : 0;
  await seed(before);
  for (const v of victims) await takeMarket(c, v, "9", true);
  await seed(seeds - before);
  const count = await c.m.vault.read.getUsersWithPositionsInMarketCount([c.m.marketId]);
  if (count !== BigInt(n)) throw new Error(`population ${count} != ${n}`);
  return { c, victims, keeper };
}

/** Price falls to 905: nine 3-unit bid levels (3 per victim), ask 910, mark walked by prints. */
async function dropTo905(c: Ctx): Promise<void> {
  const [, , bob, dave, alice] = c.accounts as [Address, Address, Address, Address, Address];
  await limit(c, dave, "905", "0.1", true);
  for (let i = 0; i < 9; i++) await limit(c, bob, (905 - 5 * i).toString(), "3", true);
  await limit(c, dave, "910", "1", false);
  for (let k = 0; k < 6 && (await c.m.vault.read.getMarkPrice([c.m.marketId])) !== P("905"); k++) {
    await takeMarket(c, alice, "0.01", false);
  }
  if ((await c.m.vault.read.getMarkPrice([c.m.marketId])) !== P("905")) throw new Error("mark did not reach 905");
  for (const id of await c.m.views.read.getUserOrders([dave])) {
    const o = await c.m.views.read.getOrder([id]);
    if (o.isBuy) await receipt(c.m.publicClient, await c.m.trading.write.cancelOrder([id], { account: dave }));
  }
}

async function poke(c: Ctx, keeper: Address, key: string): Promise<number> {
  const hash = await c.m.liquidation.write.pokeLiquidations({ account: keeper });
  return gas(c, key, await receipt(c.m.publicClient, hash));
}

/**
 * No-op pokes at N = 10,000 (nothing liquidatable in the page):
 * - `liq.poke.noop.n10000`: the steady state. The page (20..39, healthy 1x longs) is one index
 *   group whose safe-price summary proves it healthy at the mark: the vault skips it unread.
 * - `liq.poke.noop.unproven.n10000`: the same page right after a risk-parameter change, which
 *   voids every summary: the vault screens all 20 accounts exactly and rewrites the summary.
 */
async function noopPokes(c: Ctx, keeper: Address): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // The worst poke stopped after its 3 hits (cursor 4); the rest of group 0 (4..19) holds the
  // maker and the victims, still near their liquidation prices: poke it exactly, unmeasured.
  await poke(c, keeper, "");
  const noop = await pokeExpectingNone(c, keeper, "liq.poke.noop.n10000", 20n);
  out["liq.poke.noop.n10000"] = noop;
  // Void every summary with a different initial margin; the next page (40..59) is healthy too.
  const im = (await c.m.vault.read.getMarketInfo([c.m.marketId])).initialMarginBps;
  await receipt(c.m.publicClient, await c.m.vault.write.setMarketRiskParams([c.m.marketId, BigInt(im) + 1n]));
  out["liq.poke.noop.unproven.n10000"] = await pokeExpectingNone(c, keeper, "liq.poke.noop.unproven.n10000", 40n);
  return out;
}

/** Poke once; the page must start at `from` and liquidate nobody. */
async function pokeExpectingNone(c: Ctx, keeper: Address, key: string, from: bigint): Promise<number> {
  const hash = await c.m.liquidation.write.pokeLiquidations({ account: keeper });
  const r = await receipt(c.m.publicClient, hash);
  const ev = parseEventLogs({ abi: c.m.liquidation.abi, logs: r.logs, eventName: "LiquidationsPoked" })[0];
  if (!ev || ev.args.startIndex !== from || ev.args.liquidated !== 0n) {
    throw new Error(
      `${key}: expected a no-op page from ${from}, got ${JSON.stringify(ev?.args, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`,
    );
  }
  return gas(c, key, r);
}

async function liquidations(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // OB_BENCH_SIZES=10,1000 shortens a local run; the committed results use all three.
  const sizes = (process.env.OB_BENCH_SIZES ?? "10,1000,10000").split(",").map(Number);
  for (const n of sizes) {
    const { c, keeper } = await population(n);
    await dropTo905(c);
    out[`liq.poke.worst.n${n}`] = await poke(c, keeper, `liq.poke.worst.n${n}`); // page 0..19 holds the 3 victims
    if (n === 10000) Object.assign(out, await noopPokes(c, keeper));
  }
  {
    const { c, keeper } = await population(1000, true);
    await dropTo905(c);
    out["liq.poke.worst.fullPage.n1000"] = await poke(c, keeper, "liq.poke.worst.fullPage.n1000"); // 20 checks + 3 liquidations
  }
  const { c, victims, keeper } = await population(10);
  await dropTo905(c);
  const liq = await c.m.liquidation.write.liquidateUser([victims[0]!], { account: keeper });
  out["liq.liquidateUser.worst"] = await gas(c, "liq.liquidateUser.worst", await receipt(c.m.publicClient, liq));
  return out;
}

export async function run(): Promise<Record<string, number>> {
  return { ...(await trading()), ...(await liquidations()) };
}
