import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import { parseAbi, zeroAddress, type Abi } from "viem";
import { facetCuts, selectorsOf, ORDERBOOK_FACETS } from "../../../src/chain/deployOrderBook.ts";
import { deployMarket } from "../../../src/chain/orderBookMarket.ts";
import { obViewsAbi } from "../../../src/chain/abi/obViews.ts";

describe("deployOrderBook", () => {
  it("refuses a facet set that registers one selector twice", () => {
    const abi = obViewsAbi as Abi;
    const f = { name: "OBViewFacet", address: zeroAddress, abi };
    assert.throws(() => facetCuts({ facets: [f, { ...f, name: "Copy" }], init: f }), /in both OBViewFacet and Copy/);
  });

  it("deploys the standard set and a wired, initialized book", async () => {
    const { viem } = await network.create("hubBig");
    const m = await deployMarket(viem, { symbol: "BTC-USD" });
    const loupeAbi = parseAbi([
      "function facets() view returns ((address facetAddress, bytes4[] functionSelectors)[])",
    ]);
    const facets = await m.publicClient.readContract({ address: m.book, abi: loupeAbi, functionName: "facets" });
    assert.equal(facets.length, ORDERBOOK_FACETS.length);
    for (const f of m.facets.facets) {
      const onChain = facets.find((x) => x.facetAddress.toLowerCase() === f.address.toLowerCase());
      assert.ok(onChain, `${f.name} registered`);
      assert.deepEqual([...onChain.functionSelectors].sort(), selectorsOf(f.abi).sort(), f.name);
    }
    const [vault, marketId] = await m.views.read.marketStatic();
    assert.equal(vault.toLowerCase(), m.vault.address.toLowerCase());
    assert.equal(marketId, m.marketId);
    assert.equal((await m.vault.read.marketToOrderBook([m.marketId])).toLowerCase(), m.book.toLowerCase());
  });
});
