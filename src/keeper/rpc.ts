// viem clients over any EIP-1193 provider (an in-process Hardhat chain or a JSON-RPC URL), with a
// per-request timeout: a hung node becomes a `timeout` error for one market, not a frozen keeper.
import { createPublicClient, custom, defineChain, http, type EIP1193Provider, type PublicClient } from "viem";
import { KeeperError } from "./errors.ts";

export type RequestFn = (args: { method: string; params?: object | readonly unknown[] }) => Promise<unknown>;

export function withTimeout(request: RequestFn, timeoutMs: number): RequestFn {
  return (args) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new KeeperError("timeout", `${args.method} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      request(args).then(
        (v) => {
          clearTimeout(t);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(t);
          reject(e);
        },
      );
    });
}

export function chainOf(chainId: number) {
  return defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
}

/** A public client over an EIP-1193 provider; retries are the keeper loop's job, not the transport's. */
export function clientFromProvider(
  provider: { request(args: never): Promise<unknown> },
  chainId: number,
  timeoutMs = 10_000,
): PublicClient {
  const inner = provider.request.bind(provider) as unknown as RequestFn;
  const request = withTimeout((a) => inner(a), timeoutMs);
  return createPublicClient({
    chain: chainOf(chainId),
    transport: custom({ request } as unknown as EIP1193Provider, { retryCount: 0 }),
    pollingInterval: 100,
    cacheTime: 0,
  }) as PublicClient;
}

export function clientFromUrl(url: string, chainId: number, timeoutMs = 10_000): PublicClient {
  return createPublicClient({
    chain: chainOf(chainId),
    transport: http(url, { timeout: timeoutMs, retryCount: 0 }),
    cacheTime: 0,
  }) as PublicClient;
}
