// Gas of the cross-chain collateral paths and of market creation, from receipts on in-process chains.
import { parseUnits, type Hex } from "viem";
import { inBigBlocks, setupXchain, SPOKE_CHAIN_ID } from "../src/chain/localXchain.ts";
import { deployOrderBookFacets } from "../src/chain/deployOrderBook.ts";
import { deployFactory, DEFAULT_MARKET } from "../src/chain/deployFactory.ts";
import { Relayer } from "../src/relayer/relayer.ts";
import { RelayerStore } from "../src/relayer/store.ts";

export async function run(): Promise<Record<string, number>> {
  const x = await setupXchain();
  const user = x.spokeUsers[0]!;
  const hubUser = x.hubUsers[0]!;
  const amount = parseUnits("1000", 6);
  const usdc = await x.spokeViem.getContractAt("MockUSDC", x.usdc.address, { client: { wallet: user } });
  const spoke = await x.spokeViem.getContractAt("SpokeVault", x.spoke.address, { client: { wallet: user } });
  const hub = await x.hubViem.getContractAt("CollateralHub", x.hub.address, { client: { wallet: hubUser } });
  await usdc.write.mint!([user.account.address, amount * 2n]);
  await usdc.write.approve!([x.spoke.address, amount * 2n]);

  const gas = async (client: typeof x.hubPublic, hash: Hex) =>
    Number((await client.waitForTransactionReceipt({ hash })).gasUsed);
  // the first deposit pays for fresh storage (window, totals); measure the steady state
  await spoke.write.deposit!([amount]);
  const deposit = await gas(x.spokePublic, await spoke.write.deposit!([amount]));

  const relayer = new Relayer({ routes: x.routes, signers: x.signers, store: new RelayerStore(":memory:") });
  await relayer.tick();
  const credits = relayer.store.all().filter((m) => m.deliveryTx);
  const credit = await gas(x.hubPublic, credits[credits.length - 1]!.deliveryTx!);

  await hub.write.requestWithdrawal!([SPOKE_CHAIN_ID, amount / 2n]);
  const withdraw = await gas(x.hubPublic, await hub.write.requestWithdrawal!([SPOKE_CHAIN_ID, amount / 4n]));
  await relayer.tick();
  const releases = relayer.store.all().filter((m) => m.message.kind === 2 && m.deliveryTx);
  const release = await gas(x.spokePublic, releases[releases.length - 1]!.deliveryTx!);
  relayer.store.close();

  const admin = x.hubAdmin.account.address;
  const size = async (client: typeof x.hubPublic, address: Hex) =>
    ((await client.getCode({ address })) ?? "0x").length / 2 - 1;
  const implOf = async (client: typeof x.hubPublic, proxy: Hex) => {
    // ERC-1967 implementation slot
    const slot = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
    const raw = (await client.getStorageAt({ address: proxy, slot })) ?? "0x";
    return `0x${raw.slice(-40)}` as Hex;
  };
  let factoryImpl: Hex = "0x";
  const createMarket = await inBigBlocks(x.hubNet.provider, async () => {
    const facets = await deployOrderBookFacets(x.hubViem);
    const factory = await deployFactory(x.hubViem, {
      admin,
      vault: x.vault.address,
      bookOwner: admin,
      feeRecipient: admin,
      facets,
    });
    factoryImpl = await implOf(x.hubPublic, factory.address);
    const hash = await factory.write.createFuturesMarket!([
      { ...DEFAULT_MARKET, symbol: "ETH-PERP", startPrice: parseUnits("2000", 6) },
    ]);
    return gas(x.hubPublic, hash);
  });

  return {
    "factory.createMarket": createMarket,
    "hub.credit": credit,
    "hub.withdrawRequest": withdraw,
    "spoke.deposit": deposit,
    "spoke.release": release,
    "size.CollateralHub": await size(x.hubPublic, await implOf(x.hubPublic, x.hub.address)),
    "size.SpokeVault": await size(x.spokePublic, await implOf(x.spokePublic, x.spoke.address)),
    "size.ThresholdVerifier": await size(x.hubPublic, x.hubVerifier.address),
    "size.FuturesMarketFactory": await size(x.hubPublic, factoryImpl),
  };
}
