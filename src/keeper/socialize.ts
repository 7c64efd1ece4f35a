// The last step of the loss waterfall. A bankrupt close that insurance could not cover leaves a
// market deficit; the book's permissionless `socializeDeficit(candidates)` recovers it by haircutting
// the unrealized profit of open positions in that market (entry moved toward the mark; balances and
// flat accounts are never touched). The keeper picks the candidates: the most profitable positions
// first, at most one page (the book's maxPage) per transaction.
import type { PublicClient } from "viem";
import { vaultAbi } from "./abi.ts";
import { marketUsers, readMany, type ScreenOptions } from "./screen.ts";

export type OpenPosition = { user: `0x${string}`; size: bigint; entryPrice: bigint };

/** Unrealized PnL in USDC (6 dp) of `size` (18 dp) opened at `entryPrice`, valued at `mark`. */
export function unrealizedPnl(p: OpenPosition, mark: bigint): bigint {
  return (p.size * (mark - p.entryPrice)) / 10n ** 18n;
}

/** Positions in profit at `mark`, largest profit first (ties by address), at most `max`. */
export function rankProfitFirst(ps: OpenPosition[], mark: bigint, max: number): OpenPosition[] {
  return ps
    .map((p) => ({ p, u: unrealizedPnl(p, mark) }))
    .filter((x) => x.p.size !== 0n && x.u > 0n)
    .sort((a, b) => (a.u !== b.u ? (a.u > b.u ? -1 : 1) : a.p.user < b.p.user ? -1 : 1))
    .slice(0, max)
    .map((x) => x.p);
}

/** Job key: one socialization per market per (deficit, candidate set); a changed deficit is new work. */
export function socializeJobKey(book: string, deficit: bigint, candidates: `0x${string}`[]): string {
  return `soc:${book.toLowerCase()}:${deficit}:${candidates.map((c) => c.slice(2, 10).toLowerCase()).join("")}`;
}

/** The market's deficit and, when it is non-zero, the profitable positions to haircut first. */
export async function planSocialization(
  client: PublicClient,
  vault: `0x${string}`,
  marketId: `0x${string}`,
  max: number,
  opts: ScreenOptions = {},
): Promise<{ deficit: bigint; candidates: `0x${string}`[] }> {
  const at = opts.blockNumber === undefined ? {} : { blockNumber: opts.blockNumber };
  const read = <T>(functionName: string, args: unknown[]) =>
    client.readContract({ address: vault, abi: vaultAbi, functionName, args, ...at } as never) as Promise<T>;
  const deficit = await read<bigint>("marketDeficit", [marketId]);
  if (deficit === 0n) return { deficit, candidates: [] };
  const mark = await read<bigint>("getMarkPrice", [marketId]);
  const users = await marketUsers(client, vault, marketId, opts);
  const pos = await readMany<{ size: bigint; entryPrice: bigint }>(
    client,
    vault,
    users.map((u) => ({ functionName: "getPosition", args: [u, marketId] })),
    opts,
  );
  const open = users.flatMap((user, i): OpenPosition[] => {
    const p = pos[i];
    return p ? [{ user, size: p.size, entryPrice: p.entryPrice }] : [];
  });
  return { deficit, candidates: rankProfitFirst(open, mark, max).map((p) => p.user) };
}
