import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAbi, type PublicClient } from "viem";
import { EventFollower } from "../../../src/monitor/follower.ts";
import { MonitorStore, type Notice } from "../../../src/monitor/store.ts";
import { AlertManager } from "../../../src/monitor/alerts.ts";
import { clientFromProvider } from "../../../src/keeper/rpc.ts";
import { hubChain, type Chain } from "../keeper/helpers.ts";

const abi = parseAbi(["function mint(address to, uint256 amount)"]);

describe("EventFollower on a real chain", () => {
  let chain: Chain;
  let client: PublicClient;
  let usdc: `0x${string}`;
  let wallet: Awaited<ReturnType<Chain["viem"]["getWalletClients"]>>[number];
  const mintN = async (n: number, amount = 1n) => {
    for (let i = 0; i < n; i++)
      await wallet.writeContract({ address: usdc, abi, functionName: "mint", args: [wallet.account.address, amount] });
  };

  before(async () => {
    chain = await hubChain();
    client = clientFromProvider(chain.provider, 999);
    usdc = (await chain.viem.deployContract("MockUSDC", [6])).address;
    wallet = (await chain.viem.getWalletClients())[0]!;
  });

  it("test_step_restartNoGapNoDuplicate", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "mon-")), "m.sqlite");
    const start = await client.getBlockNumber();
    const seen: string[] = [];
    const mk = () =>
      new EventFollower({
        client,
        store: new MonitorStore(file),
        addresses: () => [usdc],
        cursorName: "c",
        fromBlock: start,
        reorgDepth: 3n,
      });
    await mintN(3);
    await mk().step((l) => seen.push(`${l.transactionHash}:${l.logIndex}`));
    await mintN(2);
    // restart: a new follower on the same file re-reads 3 blocks and skips what was handled
    await mk().step((l) => seen.push(`${l.transactionHash}:${l.logIndex}`));
    await mk().step((l) => seen.push(`${l.transactionHash}:${l.logIndex}`));
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
  });

  it("test_step_reorgReReadsReplacedBlocksAndReportsRemoved", async () => {
    const store = new MonitorStore();
    const f = new EventFollower({
      client,
      store,
      addresses: () => [usdc],
      cursorName: "r",
      fromBlock: (await client.getBlockNumber()) + 1n,
      reorgDepth: 5n,
    });
    const snap = await chain.provider.request({ method: "evm_snapshot", params: [] });
    await mintN(2, 7n);
    const handled: bigint[] = [];
    const removed: string[] = [];
    await f.step(
      (l) => handled.push(BigInt(l.data)),
      (id) => removed.push(id),
    );
    assert.deepEqual(handled, [7n, 7n]);
    // Reorg: the two blocks are replaced by one block with a different log.
    await chain.provider.request({ method: "evm_revert", params: [snap] });
    await mintN(1, 9n);
    await chain.provider.request({ method: "evm_mine", params: [] });
    await f.step(
      (l) => handled.push(BigInt(l.data)),
      (id) => removed.push(id),
    );
    assert.deepEqual(handled, [7n, 7n, 9n]);
    assert.equal(removed.length, 2, "both orphaned logs reported removed");
  });
});

describe("AlertManager", () => {
  it("test_deliver_webhookReceivesRaiseAndClearOnceAndRetriesAfterFailure", async () => {
    const got: Notice[] = [];
    let failNext = true;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        if (failNext) {
          failNext = false;
          res.writeHead(500).end();
          return;
        }
        got.push(JSON.parse(body) as Notice);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const lines: string[] = [];
    const am = new AlertManager(new MonitorStore(), { webhookUrl: url, stdout: (l) => lines.push(l) });
    const alert = { key: "k1", rule: "vault-underfunded", severity: "critical" as const, message: "m", data: {} };
    am.standing("solvency", [alert]);
    am.standing("solvency", [alert]); // still active: no second notice
    assert.equal((await am.deliver()).failed, true, "first POST answered 500");
    assert.equal((await am.deliver()).delivered, 1);
    am.standing("solvency", []);
    await am.deliver();
    server.close();
    assert.deepEqual(
      got.map((n) => `${n.kind}:${n.alert.key}`),
      ["raised:k1", "cleared:k1"],
    );
    assert.equal(lines.length, 2);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(line.rule, "vault-underfunded");
    assert.equal(line.notice, "raised");
  });
});
