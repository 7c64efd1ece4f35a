// Shared by check, check-roles and regrant-roles: build the wiring spec for a vault and read it.
import { getAddress } from "viem";
import type { Address, Hex } from "viem";
import { existsSync } from "node:fs";
import { orderBookAbi } from "../../chain/abis.ts";
import { readRecord } from "../../config/record.ts";
import type { DeploymentRecord } from "../../config/schema.ts";
import { readWiring, wiringFromRecord } from "../../runbook/wiring.ts";
import type { DriftItem, WiringInput } from "../../runbook/wiring.ts";
import type { Ctx } from "../context.ts";
import { formatTable } from "./table.ts";

export async function recordIfAny(ctx: Ctx): Promise<DeploymentRecord | undefined> {
  if (!existsSync(ctx.recordFile)) return undefined;
  const c = await ctx.conn();
  return readRecord(ctx.recordFile, { network: ctx.network, chainId: c.chainId });
}

/** The wiring for `vault` (default: the record's CoreVault), optionally narrowed to some books. */
export async function wiringFor(
  ctx: Ctx,
  vault: Address | undefined,
  books: Address[] | undefined,
): Promise<WiringInput> {
  const rec = await recordIfAny(ctx);
  const c = await ctx.conn();
  const v = vault ?? rec?.contracts.CoreVault?.address;
  if (!v) throw new Error("no vault: pass --coreVault or deploy first");
  const base: WiringInput = rec
    ? wiringFromRecord(rec, v)
    : { vault: v, books: [], admins: [], pausers: [], settlementOperators: [] };
  if (books && books.length) {
    const known = new Map(rec?.markets.map((m) => [m.orderBook, m.marketId]) ?? []);
    const picked: { marketId: Hex; orderBook: Address }[] = [];
    for (const ob of books) {
      let marketId = known.get(ob);
      if (!marketId) {
        const ms = (await c.client.readContract({
          address: ob,
          abi: orderBookAbi,
          functionName: "marketStatic",
        })) as readonly unknown[];
        marketId = ms[1] as Hex;
      }
      picked.push({ marketId, orderBook: getAddress(ob) });
    }
    base.books = picked;
  }
  return base;
}

export async function readDrift(ctx: Ctx, w: WiringInput): Promise<{ checked: number; drift: DriftItem[] }> {
  const c = await ctx.conn();
  const rec = await recordIfAny(ctx);
  const mc = rec?.contracts.Multicall3?.address;
  return readWiring(c.client, w, mc ? { multicallAddress: mc } : {});
}

export function driftText(w: WiringInput, r: { checked: number; drift: DriftItem[] }): string {
  const critical = r.drift.filter((d) => d.critical).length;
  const rows = r.drift.map((d) => ({
    severity: d.critical ? "CRITICAL" : "warn",
    check: d.what,
    expected: d.expected,
    actual: d.actual,
    repair: d.fix ? `${d.fix.functionName}` : "",
  }));
  const head = `vault ${w.vault}: ${r.checked} checks, ${w.books.length} book(s), ${r.drift.length} drift (${critical} critical)\n`;
  return head + (r.drift.length ? `\n${formatTable(rows)}` : "no drift\n");
}
