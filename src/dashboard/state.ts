// Everything the dashboard shows, read from the deployment record and the chain only (plus the
// keeper's and monitor's own /health endpoints and the runbook journals next to the record).
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Address, Hex, PublicClient } from "viem";
import { accessControlAbi, ROLE_NAMES, roleId, type RoleName } from "../chain/abis.ts";
import { readRecord } from "../config/record.ts";
import type { DeploymentRecord } from "../config/schema.ts";
import { expectedHolders, readWiring, wiringFromRecord, type DriftItem } from "../runbook/wiring.ts";
import { Journal } from "../runbook/journal.ts";
import { orderBookAbi, vaultAbi } from "../keeper/abi.ts";
import { mapLimit, screenMarket } from "../keeper/screen.ts";
import { groupCount, riskGroupStats } from "../keeper/riskGroups.ts";

export type RoleCell = { role: RoleName; holder: string; label: string; state: "ok" | "missing" | "unexpected" };

export type DashboardState = {
  network: string;
  chainId: number;
  head: string;
  recordUpdatedAt: string;
  contracts: { name: string; address: string; implementation: string }[];
  drift: DriftItem[];
  wiringChecked: number;
  roles: RoleCell[];
  markets: {
    symbol: string;
    marketId: string;
    orderBook: string;
    vault: string;
    bookVault: string;
    vaultDrift: boolean;
    bestBid: string;
    bestAsk: string;
    mark: string;
    bids: { price: string; size: string }[];
    asks: { price: string; size: string }[];
    users: number;
    /** The vault's safe-price summaries: groups of 20 accounts a poke at the book's mark can skip. */
    riskGroups: { total: number; proven: number; crossEntries: number; read: number };
    /** Deferred liquidator rewards the book owes the record's keeper keys (USDC, 6 dp). */
    keeperRewardsOwed: string;
  }[];
  atRisk: { marketId: string; user: string; equity: string; maintenance: string; size: string }[];
  services: { name: string; url: string; ok: boolean; detail: unknown }[];
  runbooks: { runbook: string; state: string; stepsDone: number; txSent: number; started: string }[];
  errors: string[];
};

export type StateSource = {
  client: PublicClient;
  recordFile: string;
  network: string;
  services?: { name: string; url: string }[];
};

const s = (v: unknown) => String(v);

function labels(rec: DeploymentRecord): Map<string, string> {
  const m = new Map<string, string>();
  for (const [name, c] of Object.entries(rec.contracts)) m.set(c.address.toLowerCase(), name);
  for (const mk of rec.markets) m.set(mk.orderBook.toLowerCase(), `OrderBook ${mk.symbol || mk.marketId.slice(0, 10)}`);
  rec.operators.admin.forEach((a) => m.set(a.toLowerCase(), "admin"));
  rec.operators.settlement.forEach((a) => m.set(a.toLowerCase(), "settlement operator"));
  rec.operators.keepers.forEach((a) => m.set(a.toLowerCase(), "keeper"));
  return m;
}

async function roleMatrix(
  client: PublicClient,
  rec: DeploymentRecord,
  vault: `0x${string}`,
  errors: string[],
): Promise<RoleCell[]> {
  const expected = expectedHolders(wiringFromRecord(rec, vault));
  const names = labels(rec);
  const cells: RoleCell[] = [];
  for (const role of ROLE_NAMES) {
    const want = expected.get(role) ?? new Set<string>();
    let held: string[] = [];
    try {
      const n = (await client.readContract({
        address: vault,
        abi: accessControlAbi,
        functionName: "getRoleMemberCount",
        args: [roleId(role)],
      })) as bigint;
      held = await mapLimit([...Array(Number(n)).keys()], 8, async (i) =>
        s(
          await client.readContract({
            address: vault,
            abi: accessControlAbi,
            functionName: "getRoleMember",
            args: [roleId(role), BigInt(i)],
          }),
        ).toLowerCase(),
      );
    } catch (e) {
      errors.push(`roles ${role}: ${(e as Error).message.split("\n")[0]}`);
    }
    for (const h of new Set([...want, ...held])) {
      const state = want.has(h) && held.includes(h) ? "ok" : want.has(h) ? "missing" : "unexpected";
      cells.push({ role, holder: h, label: names.get(h) ?? "", state });
    }
  }
  return cells;
}

/** Most risk groups read per market and refresh. */
const MAX_GROUPS_READ = 250;

async function riskGroups(
  c: PublicClient,
  vault: Address,
  marketId: Hex,
  users: number,
  mark: bigint,
): Promise<DashboardState["markets"][number]["riskGroups"]> {
  const total = groupCount(users);
  const read = Math.min(total, MAX_GROUPS_READ);
  const rows = await mapLimit([...Array(read).keys()], 8, (g) =>
    c.readContract({ address: vault, abi: vaultAbi, functionName: "getRiskGroup", args: [marketId, BigInt(g), mark] }),
  );
  const { proven, crossEntries } = riskGroupStats(rows);
  return { total, proven, crossEntries, read };
}

export async function readDashboardState(src: StateSource): Promise<DashboardState> {
  const errors: string[] = [];
  const c = src.client;
  const chainId = await c.getChainId();
  const rec = readRecord(src.recordFile, { network: src.network, chainId });
  const head = await c.getBlockNumber({ cacheTime: 0 });
  const vault = rec.contracts.CoreVault?.address;
  const contracts = Object.entries(rec.contracts).map(([name, e]) => ({
    name,
    address: e.address,
    implementation: e.implementation ?? "",
  }));

  let drift: DriftItem[] = [];
  let wiringChecked = 0;
  let roles: RoleCell[] = [];
  if (vault) {
    try {
      const mc = rec.contracts.Multicall3?.address;
      const w = await readWiring(c, wiringFromRecord(rec, vault), mc ? { multicallAddress: mc } : {});
      drift = w.drift;
      wiringChecked = w.checked;
    } catch (e) {
      errors.push(`wiring: ${(e as Error).message.split("\n")[0]}`);
    }
    roles = await roleMatrix(c, rec, vault, errors);
  }

  const markets: DashboardState["markets"] = [];
  const atRisk: DashboardState["atRisk"] = [];
  for (const m of rec.markets) {
    const ob = m.orderBook;
    const row: DashboardState["markets"][number] = {
      symbol: m.symbol,
      marketId: m.marketId,
      orderBook: ob,
      vault: m.vault,
      bookVault: "",
      vaultDrift: false,
      bestBid: "",
      bestAsk: "",
      mark: "",
      bids: [],
      asks: [],
      users: 0,
      riskGroups: { total: 0, proven: 0, crossEntries: 0, read: 0 },
      keeperRewardsOwed: "",
    };
    try {
      const st = await c.readContract({ address: ob, abi: orderBookAbi, functionName: "marketStatic" });
      row.bookVault = st[0];
      row.vaultDrift = vault !== undefined && st[0].toLowerCase() !== vault.toLowerCase();
      row.bestBid = s(await c.readContract({ address: ob, abi: orderBookAbi, functionName: "bestBid" }));
      row.bestAsk = s(await c.readContract({ address: ob, abi: orderBookAbi, functionName: "bestAsk" }));
      row.mark = s(await c.readContract({ address: ob, abi: orderBookAbi, functionName: "calculateMarkPrice" }));
      for (const isBuy of [true, false]) {
        const [prices, totals] = await c.readContract({
          address: ob,
          abi: orderBookAbi,
          functionName: "getTopLevels",
          args: [isBuy, 5n],
        });
        const lv = prices.map((p, i) => ({ price: s(p), size: s(totals[i]) }));
        if (isBuy) row.bids = lv;
        else row.asks = lv;
      }
      if (vault) {
        row.users = Number(
          await c.readContract({
            address: vault,
            abi: vaultAbi,
            functionName: "getUsersWithPositionsInMarketCount",
            args: [m.marketId],
          }),
        );
        row.riskGroups = await riskGroups(c, vault, m.marketId, row.users, BigInt(row.mark || "0"));
        const owed = await mapLimit(rec.operators.keepers, 8, (k) =>
          c.readContract({
            address: ob,
            abi: orderBookAbi,
            functionName: "liquidatorRewardOwed",
            args: [k as Address],
          }),
        );
        row.keeperRewardsOwed = s(owed.reduce((a, b) => a + b, 0n));
        const { candidates } = await screenMarket(c, vault, m.marketId, BigInt(row.mark || "0"));
        for (const x of candidates)
          atRisk.push({
            marketId: m.marketId,
            user: x.user,
            equity: s(x.equity),
            maintenance: s(x.maintenance),
            size: s(x.size),
          });
      }
    } catch (e) {
      errors.push(`market ${m.symbol || m.marketId}: ${(e as Error).message.split("\n")[0]}`);
    }
    markets.push(row);
  }

  const services = await Promise.all(
    (src.services ?? []).map(async (sv) => {
      try {
        const res = await fetch(`${sv.url}/health`, { signal: AbortSignal.timeout(2_000) });
        return { ...sv, ok: res.ok, detail: (await res.json()) as unknown };
      } catch (e) {
        return { ...sv, ok: false, detail: (e as Error).message };
      }
    }),
  );

  const dir = dirname(src.recordFile);
  const prefix = `${src.network}.`;
  const runbooks = (existsSync(dir) ? readdirSync(dir) : [])
    .filter((f) => f.startsWith(prefix) && f.endsWith(".journal.jsonl"))
    .map((f) => {
      const j = Journal.load(join(dir, f));
      return {
        runbook: basename(f, ".journal.jsonl").slice(prefix.length),
        state: j.completed ? "completed" : "unfinished",
        stepsDone: j.events.filter((e) => e.t === "done").length,
        txSent: j.events.filter((e) => e.t === "done" && e.via === "tx").length,
        started: j.started?.at ?? "",
      };
    });

  return {
    network: rec.network,
    chainId,
    head: s(head),
    recordUpdatedAt: rec.updatedAt,
    contracts,
    drift,
    wiringChecked,
    roles,
    markets,
    atRisk,
    services,
    runbooks,
    errors,
  };
}
