import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import { parseEventLogs, parseUnits, type Address } from "viem";
import { deployMarket, fund, receipt, type Market } from "../../../src/chain/orderBookMarket.ts";
import { obLiquidationAbi } from "../../../src/chain/abi/obLiquidation.ts";

const P = (x: string) => parseUnits(x, 6);
const U = (x: string) => parseUnits(x, 18);
const SMALL_BLOCK = 2_000_000n;

async function limit(m: Market, who: Address, price: string, amount: string, isBuy: boolean) {
  return receipt(
    m.publicClient,
    await m.trading.write.placeMarginLimitOrder([P(price), U(amount), isBuy], { account: who }),
  );
}

async function marketOrder(m: Market, who: Address, amount: string, isBuy: boolean) {
  return receipt(m.publicClient, await m.trading.write.placeMarginMarketOrder([U(amount), isBuy], { account: who }));
}

async function liquidatable(m: Market, users: Address[]): Promise<Address[]> {
  const mark = await m.vault.read.getMarkPrice([m.marketId]);
  const out: Address[] = [];
  for (const u of users) {
    const pos = await m.vault.read.getPosition([u, m.marketId]);
    if (pos.size !== 0n && (await m.vault.read.isLiquidatable([u, m.marketId, mark]))) out.push(u);
  }
  return out;
}

describe("order book on the hub (2,000,000-gas blocks)", () => {
  it("mines every poke and targeted liquidation in small blocks; traders never pay for liquidations", async () => {
    const { viem } = await network.create("hub");
    const m = await deployMarket(viem);
    const block = await m.publicClient.getBlock();
    assert.equal(block.gasLimit, SMALL_BLOCK, "small blocks restored after deployment");

    const wallets = await viem.getWalletClients();
    const [, alice, bob, carol, dave, keeper, ...rest] = wallets.map((w) => w.account.address);
    assert.ok(alice && bob && carol && dave && keeper && rest.length >= 8);
    const victims = rest.slice(0, 8);
    for (const u of [alice, bob, carol, dave]) await fund(m, u, P("200000"));
    for (const v of victims) await fund(m, v, P("1000"));

    // Eight 9x longs at 1,000 against carol.
    for (const v of victims) {
      await limit(m, carol, "1000", "9", false);
      await marketOrder(m, v, "9", true);
    }
    // The price falls: bids from 905 down in 5-USDC steps, an ask at 910, tiny prints at 905.
    await limit(m, dave, "905", "0.2", true);
    for (let i = 0; i < 16; i++) await limit(m, bob, (905 - 5 * i).toString(), "5", true);
    await limit(m, dave, "910", "5", false);
    for (let k = 0; k < 6 && (await m.vault.read.getMarkPrice([m.marketId])) !== P("905"); k++) {
      await marketOrder(m, alice, "0.01", false);
    }
    assert.equal(await m.vault.read.getMarkPrice([m.marketId]), P("905"), "mark followed the book");
    assert.equal((await liquidatable(m, victims)).length, victims.length, "every victim underwater");

    // An ordinary trader's order while accounts are liquidatable: no liquidation work inside.
    const snap = await (await viem.getTestClient()).snapshot();
    const during = await marketOrder(m, alice, "1", true); // buys dave's ask
    const logs = parseEventLogs({ abi: obLiquidationAbi, logs: during.logs });
    assert.equal(logs.filter((l) => l.eventName === "UserLiquidated").length, 0, "no liquidation in a trade");
    assert.equal((await liquidatable(m, victims)).length, victims.length, "trade left victims alone");
    await (await viem.getTestClient()).revert({ id: snap });

    // Keepers: one targeted liquidation, then pokes until everyone is healthy.
    const targeted = await receipt(
      m.publicClient,
      await m.liquidation.write.liquidateUser([victims[0]!], { account: keeper }),
    );
    assert.ok(targeted.gasUsed < SMALL_BLOCK, `liquidateUser ${targeted.gasUsed}`);
    const gas: bigint[] = [targeted.gasUsed];
    let pokes = 0;
    while ((await liquidatable(m, victims)).length > 0 && pokes < 30) {
      const r = await receipt(m.publicClient, await m.liquidation.write.pokeLiquidations({ account: keeper }));
      const b = await m.publicClient.getBlock({ blockNumber: r.blockNumber });
      assert.equal(b.gasLimit, SMALL_BLOCK);
      assert.ok(r.gasUsed <= 1_200_000n, `poke ${r.gasUsed} leaves room in the block`);
      gas.push(r.gasUsed);
      pokes++;
    }
    assert.equal((await liquidatable(m, victims)).length, 0, "all healthy or closed");
    assert.ok(pokes >= 2, "liquidated in small steps");

    // The same trade after the liquidations costs the same: it never carried liquidation work.
    const after = await marketOrder(m, alice, "1", true);
    const diff = after.gasUsed > during.gasUsed ? after.gasUsed - during.gasUsed : during.gasUsed - after.gasUsed;
    assert.ok(diff * 100n <= during.gasUsed, `trade gas ${during.gasUsed} vs ${after.gasUsed}`);
  });
});
