// The monitor's chain-state checks (each rule group in its own try/catch): every book's vault
// pointer, the vault's solvency, and accounts liquidatable for too long.
import type { PublicClient } from "viem";
import { erc20Abi, orderBookAbi, vaultAbi } from "../keeper/abi.ts";
import { mapLimit, screenMarket } from "../keeper/screen.ts";
import type { AlertManager } from "./alerts.ts";
import {
  booksOnWrongVault,
  liquidatableTooLong,
  trackLiquidatable,
  vaultUnderfunded,
  type LiquidatableSince,
} from "./rules.ts";
import type { MonitorStore } from "./store.ts";
import { readBookVault, type MonitorTarget } from "./target.ts";

export type CheckContext = {
  client: PublicClient;
  target: MonitorTarget;
  store: MonitorStore;
  alerts: AlertManager;
  head: bigint;
  maxLiquidatableBlocks?: number;
  fail: (where: string, err: unknown) => void;
};

export async function chainChecks(x: CheckContext): Promise<void> {
  const t = x.target;
  const c = x.client;
  const read = <T>(address: `0x${string}`, functionName: string, args: unknown[] = []) =>
    c.readContract({ address, abi: vaultAbi, functionName, args } as never) as Promise<T>;
  let markets: { marketId: `0x${string}`; book: `0x${string}` }[] = [];
  try {
    const n = await read<bigint>(t.vault, "getMarketsCount");
    const [ids, books] =
      n === 0n ? [[], []] : await read<[`0x${string}`[], `0x${string}`[]]>(t.vault, "getMarketsPage", [0n, n]);
    markets = ids.map((marketId, i) => ({ marketId, book: books[i]! }));
    const all = new Map<string, { book: string; marketId: string }>();
    for (const b of [...t.books, ...markets]) all.set(b.book.toLowerCase(), { book: b.book, marketId: b.marketId });
    const pointers = await mapLimit([...all.values()], 8, async (b) => ({
      ...b,
      vault: await readBookVault(c, b.book as `0x${string}`),
    }));
    x.alerts.standing("book-vault", booksOnWrongVault(pointers, t.vault));
  } catch (err) {
    x.fail("book-vault", err);
  }
  try {
    const known = await read<bigint>(t.vault, "getKnownUsersCount");
    let userEquity = 0n;
    for (let off = 0n; off < known; off += 100n) {
      const users = await read<`0x${string}`[]>(t.vault, "getKnownUsersPage", [off, 100n]);
      const eq = await mapLimit(users, 16, (u) => read<bigint>(t.vault, "getEquity", [u]));
      userEquity += eq.reduce((a, b) => a + (b > 0n ? b : 0n), 0n);
    }
    let insurance = 0n;
    let makerEscrow = 0n;
    for (const m of markets) {
      insurance += await read<bigint>(t.vault, "insuranceFund", [m.marketId]);
      makerEscrow += await read<bigint>(t.vault, "makerRewardEscrow", [m.marketId]);
    }
    const usdc = await read<`0x${string}`>(t.vault, "collateralToken");
    const usdcBalance = (await c.readContract({
      address: usdc,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [t.vault],
    })) as bigint;
    const externalCredits = await read<bigint>(t.vault, "totalExternalCredits");
    x.alerts.standing(
      "solvency",
      vaultUnderfunded({ vault: t.vault, usdcBalance, userEquity, externalCredits, insurance, makerEscrow }),
    );
  } catch (err) {
    x.fail("solvency", err);
  }
  try {
    const now: { marketId: string; user: string }[] = [];
    for (const m of markets) {
      // The mark a liquidation would use now: the book's (its vault push may lag by the clamp).
      const mark = await c
        .readContract({ address: m.book, abi: orderBookAbi, functionName: "calculateMarkPrice" })
        .catch(() => read<bigint>(t.vault, "getMarkPrice", [m.marketId]));
      const { candidates } = await screenMarket(c, t.vault, m.marketId, mark);
      now.push(...candidates.map((x) => ({ marketId: m.marketId, user: x.user })));
    }
    const since = trackLiquidatable(x.store.getState<LiquidatableSince>("liquidatableSince", {}), now, Number(x.head));
    x.store.setState("liquidatableSince", since);
    x.store.setState("atRisk", now);
    x.alerts.standing("stuck-liq", liquidatableTooLong(since, Number(x.head), x.maxLiquidatableBlocks ?? 20));
  } catch (err) {
    x.fail("liquidatable", err);
  }
}
