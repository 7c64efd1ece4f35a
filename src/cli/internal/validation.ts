// Build and run the post-deployment validation for the record's current vault.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Address } from "viem";
import { generatedDir } from "../../config/generate.ts";
import type { DeploymentRecord } from "../../config/schema.ts";
import { validateSystem } from "../../runbook/validate.ts";
import type { ValidationItem } from "../../runbook/validate.ts";
import { vaultsOf, wiringFromRecord } from "../../runbook/wiring.ts";
import type { PublicClient } from "viem";
import type { Ctx } from "../context.ts";

export const SMALL_BLOCK_GAS = 2_000_000n;

export async function runValidation(
  ctx: Ctx,
  client: PublicClient,
  rec: DeploymentRecord,
  smallBlockGas: bigint,
): Promise<ValidationItem[]> {
  const cfgFile = join(generatedDir(ctx.io.cwd, ctx.io.env), `contracts.${rec.network}.json`);
  const configured = existsSync(cfgFile)
    ? (JSON.parse(readFileSync(cfgFile, "utf8")) as { contracts: { coreVault?: Address } }).contracts.coreVault
    : undefined;
  const vault = rec.contracts.CoreVault!;
  const mc = rec.contracts.Multicall3?.address;
  const items: ValidationItem[] = [];
  for (const v of vaultsOf(rec)) {
    const current = v === vault.address;
    const gen = current ? vault : vault.previous.find((p) => p.address === v);
    const part = await validateSystem(client, {
      wiring: wiringFromRecord(rec, v),
      smallBlockGas,
      ...(gen?.deployBlock !== undefined ? { fromBlock: BigInt(gen.deployBlock) } : {}),
      ...(current && configured ? { configuredVault: configured } : {}),
      read: mc ? { multicallAddress: mc } : {},
    });
    items.push(...part.map((i) => (current ? i : { ...i, area: `legacy:${i.area}` })));
  }
  return items;
}
