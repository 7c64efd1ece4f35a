// `dexetra check`: compare the chain with the wiring spec derived from the record.
import type { CommandSpec } from "../command.ts";
import { vaultsOf } from "../../runbook/wiring.ts";
import { driftText, readDrift, wiringFor } from "../internal/wiring.ts";

export const check: CommandSpec = {
  name: "check",
  description:
    "compare roles, market mappings, book/factory/hub vault pointers with the record (non-zero exit on critical drift)",
  sends: false,
  options: (cmd) => cmd.option("--coreVault <address>", "vault to check (default: the record's CoreVault)"),
  async run(ctx, opts) {
    const vault = await ctx.contractFlag("--coreVault", opts.coreVault as string | undefined);
    await ctx.record(); // `check` is the record-driven check: a missing or foreign record is refused
    const w = await wiringFor(ctx, vault, undefined);
    const r = await readDrift(ctx, w);
    const critical = r.drift.some((d) => d.critical);
    return {
      data: { vault: w.vault, books: w.books.length, ...r },
      text: driftText(w, r),
      ...(critical ? { exitCode: 4 } : {}),
    };
  },
};
