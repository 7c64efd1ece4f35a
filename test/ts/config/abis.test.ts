// The ops tool's hand-written ABI slices must match the built contracts exactly (the system this
// replaces had a facet calling another by an old signature): every function the tool calls exists
// in the artifact with the same inputs AND outputs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatAbiItem } from "viem/utils";
import type { Abi, AbiFunction } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import {
  accessControlAbi,
  diamondCutAbi,
  factoryAbi,
  hubAbi,
  orderBookAbi,
  vaultWiringAbi,
} from "../../../src/chain/abis.ts";

const full = (f: AbiFunction) =>
  `${formatAbiItem(f)} -> (${f.outputs.map((o) => formatAbiItem({ type: "function", name: "x", inputs: [o], outputs: [], stateMutability: "view" } as AbiFunction).slice(2, -1)).join(",")})`;

function assertSubset(slice: Abi, artifacts: string[], skip: string[] = []) {
  const have = new Set(
    artifacts.flatMap((a) => (readArtifact(a).abi.filter((i) => i.type === "function") as AbiFunction[]).map(full)),
  );
  for (const f of slice.filter((i) => i.type === "function") as AbiFunction[]) {
    if (skip.includes(f.name)) continue;
    assert.ok(have.has(full(f)), `${full(f)} not in ${artifacts.join("+")}`);
  }
}

describe("ABI slices match the artifacts", () => {
  it("CoreVault", () => {
    assertSubset(vaultWiringAbi, ["CoreVault"]);
    assertSubset(accessControlAbi, ["CoreVault"]);
  });
  it("order-book facets", () => {
    assertSubset(orderBookAbi, [
      "OBViewFacet",
      "OBVaultAdminFacet",
      "OBLiquidationFacet",
      "OwnershipFacet",
      "DiamondLoupeFacet",
    ]);
    assertSubset(diamondCutAbi, ["DiamondCutFacet"]);
  });
  it("CollateralHub and FuturesMarketFactory", () => {
    assertSubset(hubAbi, ["CollateralHub"]);
    assertSubset(factoryAbi, ["FuturesMarketFactory"]);
  });
});
