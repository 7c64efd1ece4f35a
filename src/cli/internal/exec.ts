// Run a runbook from a command: plan, send, or write a Safe batch; render the result.
import { runRunbook } from "../../runbook/engine.ts";
import type { RunResult, Runbook } from "../../runbook/types.ts";
import type { CommandOutput } from "../command.ts";
import type { Ctx } from "../context.ts";
import { formatTable } from "./table.ts";

export async function execRunbook(ctx: Ctx, rb: Runbook): Promise<{ result: RunResult; out: CommandOutput }> {
  const conn = await ctx.conn();
  const wallet = ctx.g.plan ? await ctx.optionalWallet() : await ctx.wallet();
  const safe = ctx.safe;
  ctx.progress(
    `${rb.name} on ${ctx.network} (chain ${conn.chainId})${ctx.g.plan ? " — plan only" : ""}${safe ? ` — admin via Safe ${safe}` : ""}`,
  );
  const result = await runRunbook(rb, {
    client: conn.client,
    chainId: conn.chainId,
    journalFile: ctx.journalFile(rb.name),
    ...(wallet ? { wallet } : {}),
    ...(safe ? { safe } : {}),
    plan: ctx.g.plan,
    confirmations: ctx.confirmations ?? (conn.inProcess ? 1 : 5),
    ...(ctx.io.hooks ? { hooks: ctx.io.hooks } : {}),
    log: (l) => ctx.progress(l),
  });
  return { result, out: renderRun(result) };
}

export function renderRun(r: RunResult): CommandOutput {
  if (r.status === "planned") {
    const pending = r.plan!.filter((p) => p.status === "pending").length;
    return {
      data: r,
      text: `${formatTable(r.plan!, ["id", "status", "sender", "target", "function", "args", "reason"])}\n${pending} transaction(s) would be sent.\n`,
    };
  }
  const rows = [
    ...r.sent.map((s) => ({ step: s.id, result: "sent", tx: s.hash, gas: s.gasUsed })),
    ...r.recognised.map((id) => ({ step: id, result: "already done", tx: "", gas: "" })),
  ];
  if (r.status === "awaiting-safe") {
    return {
      data: r,
      text: `${formatTable(rows)}\nSafe batch written: ${r.safeBatch}\nExecute it in the Safe Transaction Builder, then run the same command again to verify and continue.\n`,
      exitCode: 3,
    };
  }
  return {
    data: r,
    text: `${formatTable(rows)}\n${r.sent.length} transaction(s) sent, ${r.recognised.length} step(s) already done. Journal: ${r.journal}\n`,
  };
}
