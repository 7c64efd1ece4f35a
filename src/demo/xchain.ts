// Demo chapter: cross-chain collateral on two in-process chains. Users deposit USDC on the spoke
// (chain 42161), the relayer gathers 2-of-3 signatures and credits them on the hub (chain 999)
// through CoreVault.creditExternal, one trades, and one withdraws back to the spoke.
import { formatUnits, getAddress, parseUnits, type Address } from "viem";
import { setupXchain, SPOKE_CHAIN_ID, type Xchain } from "../chain/localXchain.ts";
import { createLocalMarket } from "../chain/localMarket.ts";
import { Relayer } from "../relayer/relayer.ts";
import { RelayerStore } from "../relayer/store.ts";
import { classify } from "../relayer/classify.ts";

const usd = (v: bigint) => formatUnits(v, 6);
const NAMES = ["Ana", "Ben", "Chloe"] as const;

async function balances(x: Xchain, users: Address[]) {
  return Promise.all(
    users.map(async (u, i) => ({
      user: NAMES[i],
      "spoke wallet USDC": usd((await x.usdc.read.balanceOf!([u])) as bigint),
      "hub credit (external)": usd(await x.vault.externalCreditOf(u)),
      "hub free collateral": usd(await x.vault.contract.read.getAvailableCollateral([u])),
    })),
  );
}

export async function xchainChapter(): Promise<void> {
  console.log("\n=== Cross-chain collateral: spoke 42161 -> hub 999 -> spoke ===");
  const x = await setupXchain();
  const relayer = new Relayer({ routes: x.routes, signers: x.signers, store: new RelayerStore(":memory:") });
  const users = NAMES.map((_, i) => getAddress(x.spokeUsers[i]!.account.address));
  console.log(`Signer set: ${x.signers.length} keys, threshold 2 (no single key can credit or release).`);

  const amounts = [parseUnits("1500", 6), parseUnits("800", 6), parseUnits("250", 6)];
  for (const [i, u] of users.entries()) {
    const w = x.spokeUsers[i]!;
    const usdc = await x.spokeViem.getContractAt("MockUSDC", x.usdc.address, { client: { wallet: w } });
    const spoke = await x.spokeViem.getContractAt("SpokeVault", x.spoke.address, { client: { wallet: w } });
    await usdc.write.mint!([u, amounts[i]!]);
    await usdc.write.approve!([x.spoke.address, amounts[i]!]);
    await x.spokePublic.waitForTransactionReceipt({ hash: await spoke.write.deposit!([amounts[i]!]) });
  }
  console.log("\n1) Deposits on the spoke: the USDC stays in the SpokeVault, a deposit message is emitted.");
  console.table(await balances(x, users));

  await relayer.tick();
  console.log("2) The relayer re-checks each message on the spoke, collects 2 of 3 signatures, delivers to the hub:");
  console.table(
    relayer.store.all().map((m) => ({
      route: m.route,
      nonce: Number(m.message.nonce),
      user: NAMES[users.indexOf(getAddress(m.message.user))],
      amount: usd(m.message.amount),
      status: m.status,
    })),
  );
  console.table(await balances(x, users));
  const known = await x.vault.contract.read.getKnownUsersPage([0n, 20n]);
  console.log(`   Known users on the vault (what scanners page through): ${known.length}, including all three.`);

  console.log("\n3) Ana trades on the hub with spoke money: a 5x long on ETH-PERP from a factory-created market.");
  const m = await createLocalMarket(x, "ETH-PERP", parseUnits("2000", 6));
  const maker = x.hubUsers[5]!;
  const hubUsdc = await x.hubViem.getContractAt("MockUSDC", x.vault.usdc.address, { client: { wallet: maker } });
  const makerVault = await x.hubViem.getContractAt("CoreVault", x.vault.address, { client: { wallet: maker } });
  await hubUsdc.write.mint!([maker.account.address, parseUnits("50000", 6)]);
  await hubUsdc.write.approve!([x.vault.address, parseUnits("50000", 6)]);
  await makerVault.write.deposit!([parseUnits("50000", 6)]);
  await m.bookFor(5).write.placeMarginLimitOrder!([parseUnits("2000", 6), parseUnits("3.75", 18), false]);
  const r = await x.hubPublic.waitForTransactionReceipt({
    hash: await m.bookFor(0).write.placeMarginMarketOrder!([parseUnits("3.75", 18), true]),
  });
  const p = await x.vault.contract.read.getPosition([users[0]!, m.marketId]);
  console.table([
    { what: "market creation gas (big block)", value: m.createGas.toString() },
    { what: "Ana's market buy gas (2M small block)", value: r.gasUsed.toString() },
    { what: "Ana's position (ETH)", value: formatUnits(p.size, 18) },
    { what: "entry price", value: usd(p.entryPrice) },
    { what: "margin locked", value: usd(p.marginLocked) },
  ]);

  console.log("\n4) Chloe withdraws 200 back to the spoke; the hub debits with debitExternal and emits a message.");
  const hubChloe = await x.hubViem.getContractAt("CollateralHub", x.hub.address, {
    client: { wallet: x.hubUsers[2]! },
  });
  await x.hubPublic.waitForTransactionReceipt({
    hash: await hubChloe.write.requestWithdrawal!([SPOKE_CHAIN_ID, parseUnits("200", 6)]),
  });
  await relayer.tick();
  console.table(await balances(x, users));
  console.log("   Ana cannot pull margin backing her position back to the spoke:");
  const hubAna = await x.hubViem.getContractAt("CollateralHub", x.hub.address, { client: { wallet: x.hubUsers[0]! } });
  try {
    await hubAna.write.requestWithdrawal!([SPOKE_CHAIN_ID, parseUnits("1500", 6)]);
    console.log("   (unexpected: accepted)");
  } catch (e) {
    console.log(`   refused on chain: ${classify(e).reason}`);
  }
  const h = relayer.health();
  console.log("\n5) Relayer health:");
  console.table([{ delivered: h.delivered, pending: h.pending, failed: h.failed, retries: h.retries }]);
  console.table(
    h.routes.map((rt) => ({ route: rt.route, cursor: String(rt.cursor), lagBlocks: String(rt.lagBlocks) })),
  );
  console.log(
    `   Spoke holds ${usd((await x.usdc.read.balanceOf!([x.spoke.address])) as bigint)} USDC backing the hub's external credits (${usd(await x.vault.contract.read.totalExternalCredits())}).`,
  );
  relayer.store.close();
}
