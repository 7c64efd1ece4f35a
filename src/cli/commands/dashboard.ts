// `dexetra dashboard`: serve the ops page on loopback until Ctrl-C.
import type { CommandSpec } from "../command.ts";
import { startDashboard } from "../../dashboard/server.ts";
import { clientFromProvider } from "../../keeper/rpc.ts";
import { intFlag, untilStopped } from "../internal/service.ts";

export const dashboard: CommandSpec = {
  name: "dashboard",
  description:
    "serve a local web page: wiring and role drift, markets, accounts at risk, keeper/monitor status, runbooks",
  sends: false,
  options: (cmd) =>
    cmd
      .option("--port <n>", "port on 127.0.0.1 (0 = any)", "8080")
      .option("--keeper-url <url>", "keeper health endpoint base URL", "http://127.0.0.1:9464")
      .option("--monitor-url <url>", "monitor health endpoint base URL", "http://127.0.0.1:9465")
      .option("--duration <seconds>", "stop after this long (default: until Ctrl-C)"),
  async run(ctx, opts) {
    await ctx.record(); // refuse a missing or foreign record before serving anything
    const conn = await ctx.conn();
    const d = await startDashboard(
      {
        client: clientFromProvider(conn.provider, conn.chainId),
        recordFile: ctx.recordFile,
        network: ctx.network,
        services: [
          { name: "keeper", url: String(opts.keeperUrl) },
          { name: "monitor", url: String(opts.monitorUrl) },
        ],
      },
      { port: intFlag("--port", opts.port, 0)! },
    );
    ctx.progress(`dashboard: ${d.url}/`);
    const why = await untilStopped(intFlag("--duration", opts.duration, 0));
    await d.close();
    return { data: { url: d.url, stoppedBy: why }, text: `dashboard stopped (${why})\n` };
  },
};
