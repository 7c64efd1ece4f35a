import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { OB_GENERATED, artifactAbi } from "../../../scripts/gen-abis.ts";
import { obTradingAbi } from "../../../src/chain/abi/obTrading.ts";
import { obViewsAbi } from "../../../src/chain/abi/obViews.ts";
import { obLiquidationAbi } from "../../../src/chain/abi/obLiquidation.ts";
import { obVaultAdminAbi } from "../../../src/chain/abi/obVaultAdmin.ts";
import { obInitAbi } from "../../../src/chain/abi/obInit.ts";
import { obSeederAbi } from "../../../src/chain/abi/obSeeder.ts";

describe("order-book ABIs", () => {
  it("keeps the committed facet ABIs equal to the build (regenerate with scripts/gen-abis.ts)", () => {
    const committed: Record<string, unknown> = {
      obTradingAbi,
      obViewsAbi,
      obLiquidationAbi,
      obVaultAdminAbi,
      obInitAbi,
      obSeederAbi,
    };
    for (const g of OB_GENERATED) assert.deepEqual(committed[g.name], artifactAbi(g.artifact), g.name);
  });
});
