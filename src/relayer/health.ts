// /health (JSON; 503 when stopped or the last tick failed) and /metrics (Prometheus text) over
// node:http. Read-only: nothing here changes relayer state, so it needs no authentication.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Relayer } from "./relayer.ts";

function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
}

export function metricsText(relayer: Relayer): string {
  const h = relayer.health();
  const lines = [
    "# TYPE dexetra_relayer_messages gauge",
    `dexetra_relayer_messages{status="delivered"} ${h.delivered}`,
    `dexetra_relayer_messages{status="pending"} ${h.pending}`,
    `dexetra_relayer_messages{status="failed"} ${h.failed}`,
    "# TYPE dexetra_relayer_retries_total counter",
    `dexetra_relayer_retries_total ${h.retries}`,
    "# TYPE dexetra_relayer_lag_blocks gauge",
    ...h.routes.map((r) => `dexetra_relayer_lag_blocks{route="${r.route}"} ${r.lagBlocks ?? -1}`),
    "# TYPE dexetra_relayer_up gauge",
    `dexetra_relayer_up ${h.running ? 1 : 0}`,
  ];
  return lines.join("\n") + "\n";
}

export type HealthServer = { server: Server; url: string; close: () => Promise<void> };

export async function startHealthServer(relayer: Relayer, port = 0, host = "127.0.0.1"): Promise<HealthServer> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      const h = relayer.health();
      const ok = h.running && h.lastTickError === null;
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(json({ status: ok ? "ok" : h.running ? "degraded" : "stopped", ...h }));
    } else if (req.method === "GET" && req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(metricsText(relayer));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((r, j) => server.close((e) => (e ? j(e) : r()))),
  };
}
