// `dexetra monitor`: follow every contract of the record, raise and clear alerts.
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import type { CommandSpec } from "../command.ts";
import { Monitor } from "../../monitor/monitor.ts";
import { MonitorStore } from "../../monitor/store.ts";
import { targetFromRecord } from "../../monitor/target.ts";
import { clientFromProvider } from "../../keeper/rpc.ts";
import { DEFAULT_GAS_BUDGET } from "../../keeper/sender.ts";
import { intFlag, untilStopped } from "../internal/service.ts";

export const monitor: CommandSpec = {
  name: "monitor",
  description:
    "follow the record's contracts and alert on role drift, stale books, stuck liquidations, solvency, upgrades, pauses",
  sends: false,
  options: (cmd) =>
    cmd
      .option("--port <n>", "serve /health and /metrics on this port (0 = any)", "9465")
      .option("--store <file>", "SQLite cursor/alert state (default .dexetra/<network>.monitor.sqlite)")
      .option("--webhook <url>", "POST every alert notice here (default DEXETRA_MONITOR_WEBHOOK)")
      .option("--reorg-depth <blocks>", "blocks re-read below the cursor each pass", "12")
      .option("--max-liquidatable-blocks <k>", "alert when an account stays liquidatable longer", "20")
      .option("--gas-budget <gas>", "alert on a liquidation transaction above this", DEFAULT_GAS_BUDGET.toString())
      .option("--tick <ms>", "loop interval", "2000")
      .option("--duration <seconds>", "stop after this long (default: until Ctrl-C)")
      .option("--once", "run one pass and print the active alerts", false),
  async run(ctx, opts) {
    const rec = await ctx.record();
    const conn = await ctx.conn();
    const file = (opts.store as string | undefined) ?? join(ctx.io.cwd, ".dexetra", `${ctx.network}.monitor.sqlite`);
    if (file !== ":memory:") mkdirSync(join(file, ".."), { recursive: true });
    const store = new MonitorStore(file);
    const webhookUrl = (opts.webhook as string | undefined) ?? ctx.io.env.DEXETRA_MONITOR_WEBHOOK;
    const m = new Monitor({
      client: clientFromProvider(conn.provider, conn.chainId),
      store,
      target: targetFromRecord(rec, BigInt(intFlag("--gas-budget", opts.gasBudget, 21_000)!)),
      sink: { stdout: (l) => ctx.io.stdout(l + "\n"), ...(webhookUrl ? { webhookUrl } : {}) },
      reorgDepth: BigInt(intFlag("--reorg-depth", opts.reorgDepth, 0)!),
      maxLiquidatableBlocks: intFlag("--max-liquidatable-blocks", opts.maxLiquidatableBlocks, 0),
      tickMs: intFlag("--tick", opts.tick, 10),
      log: (r) => ctx.progress(JSON.stringify({ t: new Date().toISOString(), svc: "monitor", ...r })),
    });
    if (opts.once) {
      await m.tick();
      const h = m.health();
      store.close();
      return { data: h, text: "" };
    }
    const url = await m.start({ port: intFlag("--port", opts.port, 0)! });
    ctx.progress(
      `monitor: ${rec.network}, health ${url}/health, metrics ${url}/metrics${webhookUrl ? ", webhook on" : ""}`,
    );
    const why = await untilStopped(intFlag("--duration", opts.duration, 0));
    await m.stop();
    const h = m.health();
    store.close();
    return { data: { stoppedBy: why, ...h }, text: `monitor stopped (${why}) at block ${String(h.cursor)}\n` };
  },
};
