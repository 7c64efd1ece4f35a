// `dexetra validate`: the spec's post-deployment validation on its own (exit 4 on any failure).
import type { CommandSpec } from "../command.ts";
import { formatTable } from "../internal/table.ts";
import { SMALL_BLOCK_GAS, runValidation } from "../internal/validation.ts";

export const validate: CommandSpec = {
  name: "validate",
  description:
    "post-deployment validation: roles, mappings, books on the vault, liquidation/settlement paths, paged enumeration, poke gas",
  sends: false,
  options: (cmd) => cmd.option("--small-block-gas <gas>", "gas budget a poke must fit", SMALL_BLOCK_GAS.toString()),
  async run(ctx, opts) {
    const rec = await ctx.record();
    const c = await ctx.conn();
    const items = await runValidation(ctx, c.client, rec, BigInt(opts.smallBlockGas as string));
    const failed = items.filter((i) => !i.ok);
    const rows = items.map((i) => ({ ok: i.ok ? "✔" : "✘", area: i.area, check: i.check, detail: i.detail }));
    return {
      data: { vault: rec.contracts.CoreVault?.address, items, failed: failed.length },
      text: `${formatTable(rows)}\n${items.length - failed.length}/${items.length} checks passed\n`,
      ...(failed.length ? { exitCode: 4 } : {}),
    };
  },
};
