import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { getAddress, parseUnits, type Hex } from "viem";
import { setupXchain, SPOKE_CHAIN_ID } from "../../../src/chain/localXchain.ts";
import { createLocalMarket } from "../../../src/chain/localMarket.ts";
import { Relayer } from "../../../src/relayer/relayer.ts";
import { RelayerStore } from "../../../src/relayer/store.ts";
import { tempDbPath } from "./helpers.ts";

const P = (n: number) => parseUnits(String(n), 6);
const U = (n: number) => parseUnits(String(n), 18);

describe("a spoke depositor trades and is liquidated on the hub like a native depositor", () => {
  it("deposit on the spoke -> credit -> trade -> liquidatable -> poked -> remainder back to the spoke", async () => {
    const x = await setupXchain();
    const m = await createLocalMarket(x, "ETH-PERP", P(1_000));
    assert.ok(m.createGas < 30_000_000n, `market creation fits a big block (${m.createGas})`);
    const relayer = new Relayer({ routes: x.routes, signers: x.signers, store: new RelayerStore(tempDbPath()) });

    // the victim only ever touches the spoke for money
    const victimSpoke = x.spokeUsers[0]!;
    const victim = getAddress(victimSpoke.account.address);
    const usdc = await x.spokeViem.getContractAt("MockUSDC", x.usdc.address, { client: { wallet: victimSpoke } });
    const spoke = await x.spokeViem.getContractAt("SpokeVault", x.spoke.address, { client: { wallet: victimSpoke } });
    await usdc.write.mint!([victim, P(1_200)]);
    await usdc.write.approve!([x.spoke.address, P(1_200)]);
    await x.spokePublic.waitForTransactionReceipt({ hash: await spoke.write.deposit!([P(1_200)]) });
    await relayer.tick();
    assert.equal(await x.vault.externalCreditOf(victim), P(1_200));

    // native hub depositors make the market
    const [, alice, bob, carol, dave] = [0, 1, 2, 3, 4];
    for (const i of [alice, bob, carol, dave]) {
      const w = x.hubUsers[i]!;
      const hubUsdc = await x.hubViem.getContractAt("MockUSDC", x.vault.usdc.address, { client: { wallet: w } });
      const vault = await x.hubViem.getContractAt("CoreVault", x.vault.address, { client: { wallet: w } });
      await hubUsdc.write.mint!([w.account.address, P(100_000)]);
      await hubUsdc.write.approve!([x.vault.address, P(100_000)]);
      await vault.write.deposit!([P(100_000)]);
    }
    const send = async (p: Promise<Hex>) => {
      const r = await x.hubPublic.waitForTransactionReceipt({ hash: await p });
      assert.equal(r.status, "success");
      assert.ok(r.gasUsed < 2_000_000n, "fits a small block");
      return r;
    };

    // 9 units long at 1,000 with 1,200 USDC of spoke money: 7.5x
    await send(m.bookFor(carol).write.placeMarginLimitOrder!([P(1_000), U(9), false]));
    await send(m.bookFor(0).write.placeMarginMarketOrder!([U(9), true]));
    const pos = await x.vault.contract.read.getPosition([victim, m.marketId]);
    assert.equal(pos.size, U(9));
    const inIndex = await x.vault.contract.read.getUsersWithPositionsInMarketPage([m.marketId, 0n, 20n]);
    assert.ok(inIndex.map((a) => getAddress(a)).includes(victim), "in the market index the poke pages through");

    // the price falls to 905 through real orders and trades
    const px = 905;
    await send(m.bookFor(dave).write.placeMarginLimitOrder!([P(px), U(0.1), true]));
    for (const level of [px, px - 5, px - 10]) {
      await send(m.bookFor(bob).write.placeMarginLimitOrder!([P(level), U(3), true]));
    }
    await send(m.bookFor(dave).write.placeMarginLimitOrder!([P(px + 5), U(1), false]));
    for (let k = 0; k < 8 && (await x.vault.contract.read.getMarkPrice([m.marketId])) !== P(px); k++) {
      await send(m.bookFor(alice).write.placeMarginMarketOrder!([U(0.01), false]));
    }
    assert.equal(await x.vault.contract.read.getMarkPrice([m.marketId]), P(px));
    assert.equal(await x.vault.contract.read.isLiquidatable([victim, m.marketId, P(px)]), true);

    // anyone pokes; the spoke depositor is found through the vault's paged index
    const poke = await send(m.bookFor(alice).write.pokeLiquidations!());
    assert.ok(poke.gasUsed < 1_000_000n, `poke ${poke.gasUsed}`);
    const after = await x.vault.contract.read.getPosition([victim, m.marketId]);
    assert.equal(after.size, 0n, "liquidated");

    // what is left of the credit goes back to the spoke; the loss stays on the hub
    const free = await x.vault.contract.read.getAvailableCollateral([victim]);
    assert.ok(free > 0n && free < P(1_200), `remainder ${free}`);
    const hubAsVictim = await x.hubViem.getContractAt("CollateralHub", x.hub.address, {
      client: { wallet: x.hubUsers[0]! },
    });
    await expectFreeCollateralRefusal(hubAsVictim.write.requestWithdrawal!([SPOKE_CHAIN_ID, free + 1n]));
    await send(hubAsVictim.write.requestWithdrawal!([SPOKE_CHAIN_ID, free]));
    await relayer.tick();
    assert.equal(await x.usdc.read.balanceOf!([victim]), free, "remainder paid on the spoke");
    assert.equal(
      await x.usdc.read.balanceOf!([x.spoke.address]),
      P(1_200) - free,
      "the loss stays on the spoke for rebalancing",
    );
    relayer.store.close();
  });
});

async function expectFreeCollateralRefusal(p: Promise<unknown>) {
  await assert.rejects(p, (e: Error) => /InsufficientFreeCollateral|reverted/.test(String(e)));
}
