// /health (JSON, 200 when healthy, 503 otherwise) and /metrics (Prometheus text) for a worker.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export type HealthReport = { ok: boolean } & Record<string, unknown>;

export type WorkerServer = { server: Server; url: string; close: () => Promise<void> };

export async function serveHealth(
  health: () => HealthReport | Promise<HealthReport>,
  registry: Registry,
  port = 0,
  host = "127.0.0.1",
): Promise<WorkerServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health") {
      Promise.resolve()
        .then(health)
        .then((h) => {
          const body = JSON.stringify(h, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
          res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(body);
        })
        .catch((err: unknown) =>
          res
            .writeHead(503, { "content-type": "application/json" })
            .end(JSON.stringify({ ok: false, error: String(err) })),
        );
    } else if (path === "/metrics") {
      registry
        .metrics()
        .then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    } else {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
