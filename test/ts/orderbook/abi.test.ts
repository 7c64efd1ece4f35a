import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { OB_GENERATED, abiSet, artifactAbi } from "../../../scripts/gen-abis.ts";
import { obTradingAbi } from "../../../src/chain/abi/obTrading.ts";
import { obViewsAbi } from "../../../src/chain/abi/obViews.ts";
import { obLiquidationAbi } from "../../../src/chain/abi/obLiquidation.ts";
import { obVaultAdminAbi } from "../../../src/chain/abi/obVaultAdmin.ts";
import { obInitAbi } from "../../../src/chain/abi/obInit.ts";
import { obSeederAbi } from "../../../src/chain/abi/obSeeder.ts";

describe("order-book ABIs", () => {
  it("keeps the committed facet ABIs equal to the build (regenerate with scripts/gen-abis.ts)", () => {
    const committed: Record<string, readonly unknown[]> = {
      obTradingAbi,
      obViewsAbi,
      obLiquidationAbi,
      obVaultAdminAbi,
      obInitAbi,
      obSeederAbi,
    };
    // Same entries as the build (the facets list the shared error/event catalogue via obSharedAbi,
    // so entry order differs; ABI order carries no meaning).
    for (const g of OB_GENERATED)
      assert.deepEqual(abiSet(committed[g.name]!), abiSet(artifactAbi(g.artifact) as unknown[]), g.name);
  });
});
