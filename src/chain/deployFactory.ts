// Deploys the FuturesMarketFactory behind its proxy, registers the standard order-book facet set
// (src/chain/deployOrderBook.ts) and grants it the vault roles it needs (FACTORY_ROLE for wiring,
// SETTLEMENT_ROLE for the start mark). The caller must be the vault's admin for the grants.
import { encodeFunctionData, parseUnits, type Address, type Hex } from "viem";
import { facetCuts, type OrderBookFacetSet } from "./deployOrderBook.ts";
import type { Viem } from "./deployCollateral.ts";

export type MarketConfig = {
  symbol: string;
  tickSize: bigint;
  lotSize: bigint;
  minNotional: bigint;
  maxLeverage: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  startPrice: bigint;
};

export const DEFAULT_MARKET: Omit<MarketConfig, "symbol" | "startPrice"> = {
  tickSize: parseUnits("0.01", 6),
  lotSize: parseUnits("0.001", 18),
  minNotional: parseUnits("1", 6),
  maxLeverage: 10n,
  makerFeeBps: 2n,
  takerFeeBps: 5n,
};

export async function deployFactory(
  viem: Viem,
  p: { admin: Address; vault: Address; bookOwner: Address; feeRecipient: Address; facets: OrderBookFacetSet },
) {
  const impl = await viem.deployContract("FuturesMarketFactory");
  const data = encodeFunctionData({
    abi: impl.abi,
    functionName: "initialize",
    args: [p.admin, p.vault, p.bookOwner, p.feeRecipient],
  });
  const proxy = await viem.deployContract("FactoryProxy", [impl.address, data]);
  const factory = await viem.getContractAt("FuturesMarketFactory", proxy.address);
  const entries = facetCuts(p.facets).map((c) => ({ facet: c.facetAddress, selectors: c.functionSelectors }));
  await factory.write.setFacetRegistry!([entries, p.facets.init.address]);
  const vault = await viem.getContractAt("CoreVault", p.vault);
  for (const role of ["FACTORY_ROLE", "SETTLEMENT_ROLE"] as const) {
    const id = (await vault.read[role]!()) as Hex;
    await vault.write.grantRole!([id, factory.address]);
  }
  return factory;
}
