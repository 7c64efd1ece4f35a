// `dexetra regrant-roles`: converge the chain to the wiring spec. Prints the plan, then applies it
// as a journaled runbook (resumable; --plan stops after the plan; --safe writes a batch).
import type { CommandSpec } from "../command.ts";
import { execRunbook } from "../internal/exec.ts";
import { driftText, readDrift, wiringFor } from "../internal/wiring.ts";
import { repairSteps } from "../../runbook/wiring.ts";

export const regrantRoles: CommandSpec = {
  name: "regrant-roles",
  description: "grant missing roles, register books, fix market mappings and vault pointers (plan, then apply)",
  sends: true,
  options: (cmd) =>
    cmd
      .option("--coreVault <address>", "vault to converge (default: the record's CoreVault)")
      .option("--revoke-unexpected", "also revoke role holders the record does not expect", false),
  async run(ctx, opts) {
    const vault = await ctx.contractFlag("--coreVault", opts.coreVault as string | undefined);
    await ctx.record();
    const w = await wiringFor(ctx, vault, undefined);
    const before = await readDrift(ctx, w);
    ctx.progress(driftText(w, before));
    const c = await ctx.conn();
    const steps = repairSteps(c.client, w, before.drift, { revokeUnexpected: Boolean(opts.revokeUnexpected) });
    const rb = {
      name: "regrant-roles",
      // Steps re-read the chain, so a resumed run recomputes the (smaller) drift under the same params.
      params: { vault: w.vault, revokeUnexpected: Boolean(opts.revokeUnexpected) },
      steps,
    };
    const { result, out } = await execRunbook(ctx, rb);
    if (result.status !== "completed") return out;
    const after = await readDrift(ctx, w);
    const remaining = after.drift.filter((d) => d.critical);
    return {
      data: { before: before.drift, run: result, after: after.drift },
      text: `${out.text}\nafter: ${driftText(w, after)}`,
      ...(remaining.length ? { exitCode: 4 } : {}),
    };
  },
};
