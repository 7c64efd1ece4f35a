// Serve an in-process chain's EIP-1193 provider as JSON-RPC over HTTP on loopback (what
// `dexetra up` exposes for wallets and other terminals). Single and batch requests.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type Provider = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };
type Req = { jsonrpc?: string; id?: unknown; method: string; params?: unknown[] };

async function answer(p: Provider, r: Req): Promise<unknown> {
  try {
    const result = await p.request({ method: r.method, params: r.params ?? [] });
    return { jsonrpc: "2.0", id: r.id ?? null, result };
  } catch (e) {
    const err = e as { code?: number; message?: string; data?: unknown };
    return {
      jsonrpc: "2.0",
      id: r.id ?? null,
      error: {
        code: typeof err.code === "number" ? err.code : -32603,
        message: err.message ?? String(e),
        data: err.data,
      },
    };
  }
}

export async function serveJsonRpc(
  provider: Provider,
  port: number,
  host = "127.0.0.1",
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      let parsed: Req | Req[];
      try {
        parsed = JSON.parse(body) as Req | Req[];
      } catch {
        res
          .writeHead(400)
          .end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } }));
        return;
      }
      const work = Array.isArray(parsed)
        ? Promise.all(parsed.map((r) => answer(provider, r)))
        : answer(provider, parsed);
      void work.then((out) =>
        res
          .writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" })
          .end(JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v))),
      );
    });
  });
  await new Promise<void>((r) => server.listen(port, host, r));
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
