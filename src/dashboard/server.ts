// `dexetra dashboard`: a local web page (node:http, loopback by default) over the record and chain.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PAGE } from "./page.ts";
import { readDashboardState, type StateSource } from "./state.ts";

export type Dashboard = { url: string; server: Server; close: () => Promise<void> };

export async function startDashboard(
  src: StateSource,
  opts: { port?: number; host?: string } = {},
): Promise<Dashboard> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else if (path === "/api/state") {
      readDashboardState(src)
        .then((st) =>
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify(st, (_k, v) => (typeof v === "bigint" ? v.toString() : v))),
        )
        .catch((e: unknown) =>
          res
            .writeHead(500, { "content-type": "application/json" })
            .end(JSON.stringify({ error: (e as Error).message })),
        );
    } else if (path === "/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } else {
      res.writeHead(404).end("not found");
    }
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((r) => server.listen(opts.port ?? 0, host, r));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
