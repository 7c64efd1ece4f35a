// `dexetra up` end to end: chains served on loopback, the system deployed and recorded, keeper,
// monitor and dashboard answering, everything stopped at the end.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { cliRunner } from "../helpers/cli.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitFor<T>(fn: () => Promise<T>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe("dexetra up", () => {
  it("test_up_servesChainsDeploysAndRunsTheServicesThenStops", async () => {
    const [hub, spoke, dash, keeper, monitor] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const cli = cliRunner({});
    const run = cli.run([
      "up",
      "--hub-port",
      String(hub),
      "--spoke-port",
      String(spoke),
      "--dashboard-port",
      String(dash),
      "--keeper-port",
      String(keeper),
      "--monitor-port",
      String(monitor),
      "--market",
      "ETH-USD:3000:10",
      "--duration",
      "25",
    ]);
    const rpc = async (port: number, method: string) => {
      const res = await fetch(`http://127.0.0.1:${port}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
      });
      return ((await res.json()) as { result: string }).result;
    };
    assert.equal(await waitFor(() => rpc(hub, "eth_chainId")), "0x3e7");
    assert.equal(await waitFor(() => rpc(spoke, "eth_chainId")), "0xa4b1");
    const state = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${dash}/api/state`);
      if (!res.ok) throw new Error(String(res.status));
      return (await res.json()) as { contracts: { name: string }[]; markets: unknown[]; services: { ok: boolean }[] };
    });
    assert.ok(state.contracts.some((c) => c.name === "CoreVault"));
    assert.equal(state.markets.length, 1);
    const kh = await waitFor(
      async () => (await fetch(`http://127.0.0.1:${keeper}/health`)).json() as Promise<{ ok: boolean }>,
    );
    assert.equal(kh.ok, true);
    const mm = await waitFor(async () => (await fetch(`http://127.0.0.1:${monitor}/metrics`)).text());
    assert.match(mm, /monitor_events_total/);
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    await assert.rejects(fetch(`http://127.0.0.1:${hub}`, { method: "POST", body: "{}" }), "hub RPC closed");
  });
});
