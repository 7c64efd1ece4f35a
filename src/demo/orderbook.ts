// Demo chapter: one order-book market on an in-process hub chain with 2,000,000-gas blocks.
// Traders quote and trade, four levered longs are opened, the price falls, and keepers liquidate
// in small steps (pokes and one targeted liquidation), each transaction printed with its gas.
import { network } from "hardhat";
import { formatUnits, parseUnits, type Address, type TransactionReceipt } from "viem";
import { deployMarket, fund, receipt, type Market } from "../chain/orderBookMarket.ts";

const P = (x: string) => parseUnits(x, 6);
const U = (x: string) => parseUnits(x, 18);
const usd = (x: bigint) => Number(formatUnits(x, 6)).toFixed(2);
const qty = (x: bigint) => Number(formatUnits(x, 18)).toFixed(3);

type Row = { block: number; who: string; action: string; gas: number; "% of block": string };

export async function runOrderBookDemo(): Promise<void> {
  const { viem } = await network.create("hub");
  console.log("\n== Order book: one market, 2,000,000-gas blocks ==");
  const m = await deployMarket(viem);
  const accounts = (await viem.getWalletClients()).map((w) => w.account.address);
  const levered = ["Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj"];
  const names = ["admin", "Alice", "Bob", "Carol", "Dave", "Keeper", ...levered];
  const who = new Map<string, Address>(names.map((n, i) => [n, accounts[i]!]));
  const at = (n: string) => who.get(n)!;
  const log: Row[] = [];
  const record = async (name: string, action: string, r: TransactionReceipt) => {
    log.push({
      block: Number(r.blockNumber),
      who: name,
      action,
      gas: Number(r.gasUsed),
      "% of block": `${((Number(r.gasUsed) / 2_000_000) * 100).toFixed(1)} %`,
    });
  };
  const limit = async (n: string, price: string, amount: string, isBuy: boolean) =>
    record(
      n,
      `limit ${isBuy ? "buy" : "sell"} ${amount} @ ${price}`,
      await receipt(
        m.publicClient,
        await m.trading.write.placeMarginLimitOrder([P(price), U(amount), isBuy], { account: at(n) }),
      ),
    );
  const take = async (n: string, amount: string, isBuy: boolean) =>
    record(
      n,
      `market ${isBuy ? "buy" : "sell"} ${amount}`,
      await receipt(
        m.publicClient,
        await m.trading.write.placeMarginMarketOrder([U(amount), isBuy], { account: at(n) }),
      ),
    );

  for (const n of ["Alice", "Bob", "Carol", "Dave"]) await fund(m, at(n), P("200000"));
  for (const n of levered) await fund(m, at(n), P("1000"));

  console.log("Market makers quote around 1,000 USDC; eight traders buy 9 ETH each with 1,000 USDC (9x).");
  await limit("Alice", "999", "5", true);
  await limit("Carol", "1000", "80", false);
  for (const n of levered) await take(n, "9", true);
  await printBook(m);

  console.log("The price falls: Alice pulls her bid, bids step down from 905, prints at 905 walk the mark.");
  await record(
    "Alice",
    "cancelAllOrders",
    await receipt(m.publicClient, await m.trading.write.cancelAllOrders({ account: at("Alice") })),
  );
  await limit("Dave", "905", "0.3", true);
  for (let i = 0; i < 16; i++) await limit("Bob", (905 - 5 * i).toString(), "5", true);
  await limit("Dave", "910", "2", false);
  for (let k = 0; k < 6 && (await m.vault.read.getMarkPrice([m.marketId])) !== P("905"); k++) {
    await take("Alice", "0.05", false);
  }
  await printBook(m);
  await printAccounts(m, levered, at);

  console.log("Keepers: one targeted liquidation, then pokes (page 20, 3 users, 3 levels per user).");
  await record(
    "Keeper",
    "liquidateUser(Erin)",
    await receipt(m.publicClient, await m.liquidation.write.liquidateUser([at("Erin")], { account: at("Keeper") })),
  );
  for (let i = 0; i < 12; i++) {
    const mark = await m.vault.read.getMarkPrice([m.marketId]);
    let open = 0;
    for (const n of levered) {
      const p = await m.vault.read.getPosition([at(n), m.marketId]);
      if (p.size !== 0n && (await m.vault.read.isLiquidatable([at(n), m.marketId, mark]))) open++;
    }
    if (open === 0) break;
    const r = await receipt(m.publicClient, await m.liquidation.write.pokeLiquidations({ account: at("Keeper") }));
    await record("Keeper", `pokeLiquidations (${open} underwater)`, r);
  }
  console.table(log);
  await printAccounts(m, levered, at);
  const worst = Math.max(...log.map((r) => r.gas));
  console.log(`Largest transaction: ${worst} gas (${((worst / 2_000_000) * 100).toFixed(1)} % of a small block).`);
}

async function printBook(m: Market): Promise<void> {
  const [bidPx, bidQty] = await m.views.read.getTopLevels([true, 5n]);
  const [askPx, askQty] = await m.views.read.getTopLevels([false, 5n]);
  const rows = [];
  for (let i = 0; i < Math.max(bidPx.length, askPx.length); i++) {
    rows.push({
      bid: bidPx[i] ? usd(bidPx[i]!) : "",
      "bid size": bidQty[i] ? qty(bidQty[i]!) : "",
      ask: askPx[i] ? usd(askPx[i]!) : "",
      "ask size": askQty[i] ? qty(askQty[i]!) : "",
    });
  }
  console.table(rows);
  console.log(`mark ${usd(await m.views.read.calculateMarkPrice())}`);
}

async function printAccounts(m: Market, names: string[], at: (n: string) => Address): Promise<void> {
  const mark = await m.vault.read.getMarkPrice([m.marketId]);
  const rows = [];
  for (const n of names) {
    const p = await m.vault.read.getPosition([at(n), m.marketId]);
    rows.push({
      trader: n,
      size: qty(p.size),
      entry: usd(p.entryPrice),
      equity: usd(await m.vault.read.getEquity([at(n)])),
      liquidatable: p.size !== 0n && (await m.vault.read.isLiquidatable([at(n), m.marketId, mark])),
    });
  }
  console.log(`mark in the vault: ${usd(mark)}`);
  console.table(rows);
}
