// Order-book diamonds: deploy the standard facet set once, then one diamond per market with the
// deploying cut running OrderBookInit.obInitialize (vault wiring included). The factory and the
// ops runbook reuse ORDERBOOK_FACETS / facetCuts so every book has the same selectors.
import { encodeFunctionData, toFunctionSelector, type Abi, type AbiFunction, type Address, type Hex } from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";

/** The standard facet set, in cut order. */
export const ORDERBOOK_FACETS = [
  "DiamondCutFacet",
  "DiamondLoupeFacet",
  "OwnershipFacet",
  "OBTradingFacet",
  "OBViewFacet",
  "OBLiquidationFacet",
  "OBVaultAdminFacet",
] as const;
export type OrderBookFacetName = (typeof ORDERBOOK_FACETS)[number];

export type DeployedFacet = { name: string; address: Address; abi: Abi };
export type OrderBookFacetSet = { facets: DeployedFacet[]; init: DeployedFacet };

/** Market parameters of obInitialize (units: USDC 6 decimals, sizes 18 decimals). */
export type MarketParams = {
  tickSize: bigint;
  lotSize: bigint;
  minNotional: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  marginBps: bigint;
  maxFillsPerTaker: bigint;
  defaultSlippageBps: bigint;
  markClampBps: bigint;
  liqPriceBoundBps: bigint;
  liqNotionalCap: bigint;
  initialMarkPrice: bigint;
};

export const DEFAULT_MARKET_PARAMS: MarketParams = {
  tickSize: 10_000n, // 0.01 USDC
  lotSize: 10n ** 15n, // 0.001
  minNotional: 1_000_000n, // 1 USDC
  makerFeeBps: 2n,
  takerFeeBps: 5n,
  marginBps: 1_000n, // 10x
  maxFillsPerTaker: 20n,
  defaultSlippageBps: 500n,
  markClampBps: 500n,
  liqPriceBoundBps: 1_000n,
  liqNotionalCap: 1_000_000n * 1_000_000n,
  initialMarkPrice: 0n,
};

export type FacetCut = { facetAddress: Address; action: number; functionSelectors: Hex[] };

/** Selectors a facet serves: every external function of its ABI. */
export function selectorsOf(abi: Abi): Hex[] {
  return abi.filter((i): i is AbiFunction => i.type === "function").map((f) => toFunctionSelector(f));
}

/** "Add" cuts for the whole set; throws when two facets would register one selector. */
export function facetCuts(set: OrderBookFacetSet): FacetCut[] {
  const seen = new Map<Hex, string>();
  return set.facets.map((f) => {
    const functionSelectors = selectorsOf(f.abi);
    for (const s of functionSelectors) {
      const other = seen.get(s);
      if (other) throw new Error(`selector ${s} in both ${other} and ${f.name}`);
      seen.set(s, f.name);
    }
    return { facetAddress: f.address, action: 0, functionSelectors };
  });
}

/** Deploy every facet and the initializer once (big-block transactions on the hub). */
export async function deployOrderBookFacets(viem: HardhatViemHelpers): Promise<OrderBookFacetSet> {
  const facets: DeployedFacet[] = [];
  for (const name of ORDERBOOK_FACETS) {
    const c = await viem.deployContract(name);
    facets.push({ name, address: c.address, abi: c.abi as Abi });
  }
  const init = await viem.deployContract("OrderBookInit");
  return { facets, init: { name: "OrderBookInit", address: init.address, abi: init.abi as Abi } };
}

/** Re-attach to facets deployed earlier (addresses from the deployment record). */
export async function attachOrderBookFacets(
  viem: HardhatViemHelpers,
  addresses: Record<OrderBookFacetName | "OrderBookInit", Address>,
): Promise<OrderBookFacetSet> {
  const facets: DeployedFacet[] = [];
  for (const name of ORDERBOOK_FACETS) {
    const c = await viem.getContractAt(name, addresses[name]);
    facets.push({ name, address: c.address, abi: c.abi as Abi });
  }
  const init = await viem.getContractAt("OrderBookInit", addresses.OrderBookInit);
  return { facets, init: { name: "OrderBookInit", address: init.address, abi: init.abi as Abi } };
}

/** One diamond for `marketId`, initialized in its deploying cut. Returns its address. */
export async function deployOrderBook(
  viem: HardhatViemHelpers,
  set: OrderBookFacetSet,
  opts: { owner: Address; vault: Address; marketId: Hex; feeRecipient: Address; params?: Partial<MarketParams> },
): Promise<Address> {
  const p = { ...DEFAULT_MARKET_PARAMS, ...opts.params };
  const initCalldata = encodeFunctionData({
    abi: set.init.abi,
    functionName: "obInitialize",
    args: [opts.vault, opts.marketId, opts.feeRecipient, p],
  });
  const diamond = await viem.deployContract("Diamond", [opts.owner, facetCuts(set), set.init.address, initCalldata]);
  return diamond.address;
}

/** The merged ABI of every facet (what a client of the diamond calls). */
export function orderBookAbi(set: OrderBookFacetSet): Abi {
  const out: Abi[number][] = [];
  const keys = new Set<string>();
  for (const f of [...set.facets, set.init]) {
    for (const item of f.abi) {
      const key = JSON.stringify(item);
      if (!keys.has(key)) {
        keys.add(key);
        out.push(item);
      }
    }
  }
  return out;
}
