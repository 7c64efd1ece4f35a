// Relayer configuration for a live deployment, validated at the edge. Addresses and RPC URLs come
// from a JSON file generated from the deployment record (DEXETRA_RELAYER_CONFIG); keys only from
// the environment: DEXETRA_RELAYER_SENDER_KEY pays gas and holds no role on any contract, signer
// keys come through keys.ts.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { RelayerError } from "./errors.ts";
import { spokeRoutes, type Endpoint, type Route } from "./types.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x-prefixed 20-byte address");
const chain = z.object({
  name: z.string().min(1),
  chainId: z.number().int().positive(),
  rpcUrl: z.string().url(),
  contract: address,
  verifier: address,
  startBlock: z.number().int().nonnegative(),
  confirmations: z.number().int().nonnegative().default(0),
});

export const relayerConfigSchema = z.object({
  db: z.string().min(1).default(".dexetra/relayer.sqlite"),
  healthPort: z.number().int().min(0).max(65535).default(8787),
  pollIntervalMs: z.number().int().positive().default(2_000),
  maxAttempts: z.number().int().positive().default(8),
  hub: chain,
  spokes: z.array(chain).min(1),
});

export type RelayerConfig = z.infer<typeof relayerConfigSchema>;
type ChainConfig = z.infer<typeof chain>;

export function parseRelayerConfig(json: unknown): RelayerConfig {
  const res = relayerConfigSchema.safeParse(json);
  if (!res.success) {
    const issues = res.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new RelayerError("CONFIG", `invalid relayer config: ${issues}`);
  }
  return res.data;
}

export function loadRelayerConfig(env: NodeJS.ProcessEnv = process.env): RelayerConfig {
  const path = env.DEXETRA_RELAYER_CONFIG;
  if (!path) throw new RelayerError("CONFIG", "set DEXETRA_RELAYER_CONFIG to the relayer config JSON");
  return parseRelayerConfig(JSON.parse(readFileSync(path, "utf8")));
}

function endpoint(c: ChainConfig, senderKey: Hex): Endpoint {
  const def = defineChain({
    id: c.chainId,
    name: c.name,
    nativeCurrency: { name: "native", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [c.rpcUrl] } },
  });
  return {
    name: c.name,
    chainId: BigInt(c.chainId),
    contract: c.contract as Address,
    verifier: c.verifier as Address,
    publicClient: createPublicClient({ chain: def, transport: http(c.rpcUrl) }),
    walletClient: createWalletClient({
      chain: def,
      transport: http(c.rpcUrl),
      account: privateKeyToAccount(senderKey),
    }),
  };
}

/** Two routes per spoke: its deposits to the hub and the hub's withdrawals to it. */
export function buildRoutes(cfg: RelayerConfig, senderKey: Hex): Route[] {
  if (!/^0x[0-9a-fA-F]{64}$/.test(senderKey)) throw new RelayerError("BAD_SIGNER_KEY", "sender key is not 32-byte hex");
  const hub = endpoint(cfg.hub, senderKey);
  return cfg.spokes.flatMap((s) => {
    const spoke = endpoint(s, senderKey);
    return spokeRoutes(
      hub,
      spoke,
      { hub: BigInt(cfg.hub.startBlock), spoke: BigInt(s.startBlock) },
      { hub: BigInt(cfg.hub.confirmations), spoke: BigInt(s.confirmations) },
    );
  });
}
