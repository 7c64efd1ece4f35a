// Typed loader for the generated config: what the web app and API servers import.
//
//   import { loadContracts } from "../config/contracts.ts";
//   const cfg = loadContracts();               // DEXETRA_NETWORK (default "hub")
//   cfg.contracts.coreVault                    // checksummed Address
//
// Environment overrides (checked for EIP-55 validity, never silently ignored):
//   DEXETRA_NETWORK                 which generated/contracts.<network>.json to read
//   DEXETRA_GENERATED_DIR           where the generated files live (default <cwd>/generated)
//   DEXETRA_CONFIG_FILE             read this exact file instead
//   DEXETRA_CORE_VAULT_ADDRESS, DEXETRA_USDC_ADDRESS, DEXETRA_FACTORY_ADDRESS,
//   DEXETRA_COLLATERAL_HUB_ADDRESS, DEXETRA_MULTICALL3_ADDRESS   per-contract override
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { DexetraError, ErrorCodes } from "./errors.ts";
import { CONSUMER_KEYS, GENERATED_VERSION, generatedDir } from "./generate.ts";
import type { GeneratedConfig } from "./generate.ts";
import { AddressSchema, HashSchema } from "./schema.ts";

const GeneratedSchema = z.object({
  generatedVersion: z.literal(GENERATED_VERSION),
  network: z.string(),
  chainId: z.number().int().positive(),
  recordUpdatedAt: z.string(),
  contracts: z.partialRecord(z.enum(["coreVault", "usdc", "factory", "collateralHub", "multicall3"]), AddressSchema),
  markets: z.array(
    z.object({ marketId: HashSchema, symbol: z.string(), orderBook: AddressSchema, vault: AddressSchema }),
  ),
});

export function loadContracts(
  opts: { env?: NodeJS.ProcessEnv; root?: string; network?: string } = {},
): GeneratedConfig & { overridden: string[] } {
  const env = opts.env ?? process.env;
  const network = opts.network ?? env.DEXETRA_NETWORK ?? "hub";
  const file =
    env.DEXETRA_CONFIG_FILE ?? join(generatedDir(opts.root ?? process.cwd(), env), `contracts.${network}.json`);
  if (!existsSync(file)) {
    throw new DexetraError(ErrorCodes.RECORD_MISSING, `no generated config at ${file}`, {
      hint: `Run \`dexetra config generate --network ${network}\`.`,
    });
  }
  const parsed = GeneratedSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    throw new DexetraError(ErrorCodes.RECORD_INVALID, `${file}: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  const cfg = parsed.data as GeneratedConfig;
  const overridden: string[] = [];
  for (const { key, env: name } of Object.values(CONSUMER_KEYS)) {
    const v = env[name];
    if (v === undefined || v === "") continue;
    const a = AddressSchema.safeParse(v);
    if (!a.success) {
      throw new DexetraError(ErrorCodes.BAD_ADDRESS, `${name}="${v}" is not a valid (checksummed) address`);
    }
    cfg.contracts[key] = a.data;
    overridden.push(name);
  }
  return { ...cfg, overridden };
}
