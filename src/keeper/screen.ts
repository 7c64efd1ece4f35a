// Off-chain screening: read the vault's paged market index, static-call `isLiquidatable` at the
// current mark, and order the liquidatable accounts worst first. Pure ranking and job keys are
// separate functions so they are tested without a chain.
import type { PublicClient } from "viem";
import { vaultAbi } from "./abi.ts";
import { classify } from "./errors.ts";

export type Candidate = {
  user: `0x${string}`;
  equity: bigint;
  maintenance: bigint;
  size: bigint;
  entryPrice: bigint;
};

/** Worst first: lowest equity / maintenance (negative equity before everything), then the larger requirement. */
export function rankWorstFirst(cs: Candidate[]): Candidate[] {
  return [...cs].sort((a, b) => {
    // a.eq/a.mm < b.eq/b.mm  <=>  a.eq*b.mm < b.eq*a.mm  (both mm > 0); mm = 0 sorts last.
    if (a.maintenance === 0n || b.maintenance === 0n) return a.maintenance === 0n ? 1 : -1;
    const l = a.equity * b.maintenance;
    const r = b.equity * a.maintenance;
    if (l !== r) return l < r ? -1 : 1;
    if (a.maintenance !== b.maintenance) return a.maintenance > b.maintenance ? -1 : 1;
    return a.user < b.user ? -1 : 1;
  });
}

/**
 * One liquidation job per account per position state: a second keeper (or a restarted one) that
 * sees the same position gets the same key and cannot claim it again; a partial close changes the
 * size and yields the next job.
 */
export function liquidationJobKey(book: string, c: Pick<Candidate, "user" | "size" | "entryPrice">): string {
  return `liq:${book.toLowerCase()}:${c.user.toLowerCase()}:${c.size}:${c.entryPrice}`;
}

/** Schedule slots: two keepers poking one book in the same slot share one job. */
export function pokeJobKey(book: string, now: number, intervalMs: number): string {
  return `poke:${book.toLowerCase()}:${Math.floor(now / intervalMs)}`;
}

/** |new - old| / old in basis points (old = 0: any non-zero price is a full move). */
export function moveBps(oldPrice: bigint, newPrice: bigint): bigint {
  if (oldPrice === 0n) return newPrice === 0n ? 0n : 10_000n;
  const d = newPrice > oldPrice ? newPrice - oldPrice : oldPrice - newPrice;
  return (d * 10_000n) / oldPrice;
}

/** Run `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      out[k] = await fn(items[k]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export type ScreenOptions = {
  pageSize?: number;
  concurrency?: number;
  blockNumber?: bigint;
  /** Batch the static calls: "deployless" (Multicall3 bytecode in eth_call, no contract needed),
   * a deployed Multicall3 address, or false for one eth_call per read. */
  multicall?: "deployless" | `0x${string}` | false;
  /** Calldata bytes per batched eth_call: keeps each call's gas well under a small block. */
  batchBytes?: number;
};

type Call = { functionName: string; args: unknown[] };

/** Many vault reads in few eth_calls; falls back to single calls if batching fails. */
export async function readMany<T>(
  client: PublicClient,
  vault: `0x${string}`,
  calls: Call[],
  opts: ScreenOptions,
): Promise<(T | undefined)[]> {
  const at = opts.blockNumber === undefined ? {} : { blockNumber: opts.blockNumber };
  const mc = opts.multicall ?? "deployless";
  if (mc !== false && calls.length > 1) {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const res = await client.multicall({
          contracts: calls.map((c) => ({ address: vault, abi: vaultAbi, ...c })) as never,
          allowFailure: true,
          batchSize: opts.batchBytes ?? 2_048,
          ...(mc === "deployless" ? { deployless: true } : { multicallAddress: mc }),
          ...at,
        });
        // A read that reverted (one broken account) is undefined: skipped, never fatal for the page.
        return (res as { status: string; result?: unknown }[]).map((r) =>
          r.status === "success" ? (r.result as T) : undefined,
        );
      } catch (err) {
        // A transport failure: try the batch once more. Anything else (a node without deployless
        // eth_call support): read one by one.
        if (attempt === 0 && ["rpc", "timeout"].includes(classify(err))) continue;
        if (["rpc", "timeout"].includes(classify(err))) throw err;
        break;
      }
    }
  }
  return mapLimit(calls, opts.concurrency ?? 16, (c) =>
    (client.readContract({ address: vault, abi: vaultAbi, ...c, ...at } as never) as Promise<T>).catch(
      (err: unknown) => {
        if (classify(err) === "revert") return undefined;
        throw err; // an RPC failure fails this market's screen (retried next tick)
      },
    ),
  );
}

/** Every account in the market's paged position index. */
export async function marketUsers(
  client: PublicClient,
  vault: `0x${string}`,
  marketId: `0x${string}`,
  opts: ScreenOptions = {},
): Promise<`0x${string}`[]> {
  const pageSize = BigInt(opts.pageSize ?? 100); // the vault caps pages at MAX_PAGE_SIZE = 100
  const at = opts.blockNumber === undefined ? {} : { blockNumber: opts.blockNumber };
  const read = <T>(functionName: string, args: unknown[]) =>
    client.readContract({ address: vault, abi: vaultAbi, functionName, args, ...at } as never) as Promise<T>;
  const count = await read<bigint>("getUsersWithPositionsInMarketCount", [marketId]);
  const users: `0x${string}`[] = [];
  for (let off = 0n; off < count; off += pageSize) {
    users.push(...(await read<`0x${string}`[]>("getUsersWithPositionsInMarketPage", [marketId, off, pageSize])));
  }
  return users;
}

/** Every account in the market's index that is liquidatable at `mark`, worst first. */
export async function screenMarket(
  client: PublicClient,
  vault: `0x${string}`,
  marketId: `0x${string}`,
  mark: bigint,
  opts: ScreenOptions = {},
): Promise<{ candidates: Candidate[]; indexed: number }> {
  const users = await marketUsers(client, vault, marketId, opts);
  const flags = await readMany<boolean>(
    client,
    vault,
    users.map((u) => ({ functionName: "isLiquidatable", args: [u, marketId, mark] })),
    opts,
  );
  const bad = users.filter((_, i) => flags[i] === true);
  const details = await readMany<unknown>(
    client,
    vault,
    bad.flatMap((u) => [
      { functionName: "getEquity", args: [u] },
      { functionName: "getMaintenanceRequirement", args: [u] },
      { functionName: "getPosition", args: [u, marketId] },
    ]),
    opts,
  );
  const candidates = bad.flatMap((user, i): Candidate[] => {
    const pos = details[3 * i + 2] as { size: bigint; entryPrice: bigint } | undefined;
    if (pos === undefined || details[3 * i] === undefined || details[3 * i + 1] === undefined) return [];
    return [
      {
        user,
        equity: details[3 * i] as bigint,
        maintenance: details[3 * i + 1] as bigint,
        size: pos.size,
        entryPrice: pos.entryPrice,
      },
    ];
  });
  return { candidates: rankWorstFirst(candidates), indexed: users.length };
}
