// `dexetra check-roles --coreVault <addr> --orderBook <addr>`: the spec's role and mapping check
// for one vault and some books (works without a record; uses it for the expected holders if any).
import type { Address } from "viem";
import type { CommandSpec } from "../command.ts";
import { driftText, readDrift, wiringFor } from "../internal/wiring.ts";

const collect = (v: string, prev: string[] = []) => [...prev, v];

export const checkRoles: CommandSpec = {
  name: "check-roles",
  description: "check CoreVault roles and market mappings for the given order book(s)",
  sends: false,
  options: (cmd) =>
    cmd
      .requiredOption("--coreVault <address>", "the CoreVault")
      .option("--orderBook <address>", "an order book (repeatable; default: every book in the record)", collect),
  async run(ctx, opts) {
    const vault = (await ctx.contractFlag("--coreVault", opts.coreVault as string))!;
    const books: Address[] = [];
    for (const b of (opts.orderBook as string[] | undefined) ?? [])
      books.push((await ctx.contractFlag("--orderBook", b))!);
    const w = await wiringFor(ctx, vault, books);
    const r = await readDrift(ctx, w);
    const critical = r.drift.some((d) => d.critical);
    return { data: { vault, books: w.books, ...r }, text: driftText(w, r), ...(critical ? { exitCode: 4 } : {}) };
  },
};
