// Network selection: Hardhat's in-process networks (hub, hubBig, spoke) or any JSON-RPC endpoint
// from the environment. Every command talks to the chain through the viem clients made here.
import { createPublicClient, createWalletClient, custom, defineChain, http } from "viem";
import type { Address, Chain, EIP1193Provider, PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import type { Sender } from "../runbook/types.ts";
import { readKeystoreFile } from "./keystore.ts";

export const IN_PROCESS_NETWORKS = ["hub", "hubBig", "spoke"] as const;

export type ChainConn = {
  network: string;
  chainId: number;
  inProcess: boolean;
  provider: EIP1193Provider;
  client: PublicClient;
  chain: Chain;
  /** Close an in-process chain this module opened. */
  close(): Promise<void>;
};

export function rpcUrlFor(network: string, env: NodeJS.ProcessEnv): string | undefined {
  const specific = env[`DEXETRA_RPC_URL_${network.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`];
  return specific ?? env.DEXETRA_RPC_URL;
}

export function makeChain(chainId: number, network: string, multicall3?: Address): Chain {
  return defineChain({
    id: chainId,
    name: network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
    ...(multicall3 ? { contracts: { multicall3: { address: multicall3 } } } : {}),
  });
}

/** Wrap an EIP-1193 provider (an in-process Hardhat chain or an HTTP transport) in viem clients. */
export async function fromProvider(
  network: string,
  provider: EIP1193Provider,
  inProcess: boolean,
  close: () => Promise<void> = async () => {},
): Promise<ChainConn> {
  const probe = createPublicClient({ transport: custom(provider) });
  const chainId = await probe.getChainId();
  const chain = makeChain(chainId, network);
  const client = createPublicClient({
    chain,
    transport: custom(provider, { retryCount: inProcess ? 0 : 3 }),
    pollingInterval: inProcess ? 50 : 2_000,
  });
  return { network, chainId, inProcess, provider, client: client as PublicClient, chain, close };
}

export async function connectNetwork(network: string, env: NodeJS.ProcessEnv): Promise<ChainConn> {
  if ((IN_PROCESS_NETWORKS as readonly string[]).includes(network)) {
    const { network: hh } = await import("hardhat");
    const conn = await hh.create(network);
    return fromProvider(network, conn.provider as unknown as EIP1193Provider, true, () => conn.close());
  }
  const url = rpcUrlFor(network, env);
  if (!url) {
    throw new DexetraError(
      ErrorCodes.NETWORK,
      `--network ${network} is not an in-process network and no RPC URL is set`,
      {
        hint: `Set DEXETRA_RPC_URL_${network.toUpperCase()} or DEXETRA_RPC_URL, or use one of ${IN_PROCESS_NETWORKS.join(", ")}.`,
      },
    );
  }
  const transport = http(url, { retryCount: 3, timeout: 30_000 });
  const provider = transport({}) as unknown as EIP1193Provider;
  try {
    return await fromProvider(network, provider, false);
  } catch (cause) {
    throw new DexetraError(ErrorCodes.NETWORK, `cannot reach the RPC endpoint for --network ${network}`, { cause });
  }
}

export type SignerSource = "env" | "keystore" | "dev-account";

/** Where the key comes from, checked BEFORE connecting so a missing signer costs nothing. */
export function signerKey(opts: { env: NodeJS.ProcessEnv; keystore?: string }): {
  key?: `0x${string}`;
  source?: SignerSource;
} {
  const raw = opts.env.DEXETRA_PRIVATE_KEY;
  if (raw !== undefined && raw !== "") {
    const k = raw.startsWith("0x") ? raw : `0x${raw}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(k)) {
      throw new DexetraError(
        ErrorCodes.NO_SIGNER,
        "DEXETRA_PRIVATE_KEY is set but is not a 32-byte hex key (value not shown)",
      );
    }
    return { key: k as `0x${string}`, source: "env" };
  }
  if (opts.keystore)
    return { key: readKeystoreFile(opts.keystore, opts.env.DEXETRA_KEYSTORE_PASSWORD), source: "keystore" };
  return {};
}

/** A wallet for the signer; on an in-process chain without a key, its first unlocked dev account. */
export async function makeWallet(conn: ChainConn, key: `0x${string}` | undefined): Promise<Sender | undefined> {
  if (key) {
    return createWalletClient({
      account: privateKeyToAccount(key),
      chain: conn.chain,
      transport: custom(conn.provider),
    });
  }
  if (!conn.inProcess) return undefined;
  const [dev] = (await conn.provider.request({ method: "eth_accounts" })) as Address[];
  if (!dev) return undefined;
  return createWalletClient({ account: dev, chain: conn.chain, transport: custom(conn.provider) }) as Sender;
}
