// The monitor on the real vault and order books: each rule raises on a condition the test creates
// on chain and clears when it is undone; alerts reach stdout and a local webhook.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";
import { encodeAbiParameters, keccak256, numberToHex, pad, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildCascade, cascadeRecord } from "../../../src/keeper/scenario.ts";
import { Monitor } from "../../../src/monitor/monitor.ts";
import { MonitorStore, type Notice } from "../../../src/monitor/store.ts";
import { targetFromRecord } from "../../../src/monitor/target.ts";
import { coreVaultAbi } from "../../../src/chain/abi/coreVault.ts";
import { Keeper } from "../../../src/keeper/keeper.ts";
import { SqliteStore } from "../../../src/keeper/sqliteStore.ts";
import { fundedAccounts, mine } from "../keeper/helpers.ts";

describe("Monitor on the real system", () => {
  it("test_rules_raiseOnChainConditionsAndClearWhenUndone", async () => {
    const chain = await network.create("hub");
    const c = await buildCascade(chain, { symbols: ["ETH-USD"], victims: 2 });
    const hooks: Notice[] = [];
    const server = createServer((req, res) => {
      let b = "";
      req.on("data", (d: Buffer) => (b += d.toString()));
      req.on("end", () => {
        hooks.push(JSON.parse(b) as Notice);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const lines: string[] = [];
    // Gas budget 100k: every liquidateUser here costs well above it (about 190–300k, depending on
    // which of the two pays the mark refresh), so both must be reported.
    const target = targetFromRecord(cascadeRecord(c, "hub"), 100_000n);
    const mon = new Monitor({
      client: c.client,
      store: new MonitorStore(),
      target,
      sink: { stdout: (l) => lines.push(l), webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` },
      reorgDepth: 4n,
      maxLiquidatableBlocks: 2,
    });
    const active = () =>
      mon.alerts
        .active()
        .map((a) => a.rule)
        .sort();
    const [admin] = await chain.viem.getWalletClients();
    const write = (functionName: string, args: unknown[]) =>
      admin!.writeContract({ address: c.vault, abi: coreVaultAbi, functionName, args } as never);
    try {
      await mon.tick();
      assert.deepEqual(active(), [], "the freshly wired system is clean (roles from the deploy match the spec)");

      // Two longs liquidatable for more than K = 2 blocks.
      await mine(chain, 3);
      await mon.tick();
      assert.deepEqual(active(), ["liquidatable-too-long", "liquidatable-too-long"]);

      // A role outside the wiring spec, a pause, a book on another vault, a vault short of USDC.
      const stranger = privateKeyToAccount(generatePrivateKey()).address;
      await write("grantRole", [keccak256(toHex("EXTERNAL_CREDITOR_ROLE")), stranger]);
      await write("grantRole", [keccak256(toHex("PAUSER_ROLE")), admin!.account.address]);
      await write("pause", []);
      const book = c.markets[0]!.book;
      await admin!.writeContract({ address: book, abi: c.bookAbi, functionName: "setVault", args: [c.usdc] });
      const slot = keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [c.vault, 0n]));
      const held = await chain.provider.request({ method: "eth_getStorageAt", params: [c.usdc, slot, "latest"] });
      await chain.provider.request({ method: "hardhat_setStorageAt", params: [c.usdc, slot, pad(numberToHex(1n))] });
      await mon.tick();
      assert.deepEqual(active(), [
        "book-wrong-vault",
        "liquidatable-too-long",
        "liquidatable-too-long",
        "paused",
        "unexpected-role", // the stranger's EXTERNAL_CREDITOR_ROLE
        "unexpected-role", // PAUSER_ROLE to the admin: the record names no pauser
        "vault-underfunded",
      ]);

      // Undo everything; the keeper liquidates the two longs (their transactions use > 100k gas).
      await write("revokeRole", [keccak256(toHex("EXTERNAL_CREDITOR_ROLE")), stranger]);
      await write("unpause", []);
      await write("revokeRole", [keccak256(toHex("PAUSER_ROLE")), admin!.account.address]);
      await admin!.writeContract({ address: book, abi: c.bookAbi, functionName: "setVault", args: [c.vault] });
      await chain.provider.request({ method: "hardhat_setStorageAt", params: [c.usdc, slot, held] });
      const k = new Keeper({
        client: c.client,
        chainId: c.chainId,
        vault: c.vault,
        accounts: await fundedAccounts(chain, 1),
        store: new SqliteStore(),
        log: () => undefined,
      });
      await k.tick();
      await mon.tick();
      assert.deepEqual(active(), [], "every standing alert cleared");

      const kinds = hooks.map((n) => `${n.kind}:${n.alert.rule}`);
      for (const rule of [
        "unexpected-role",
        "paused",
        "book-wrong-vault",
        "vault-underfunded",
        "liquidatable-too-long",
      ]) {
        assert.ok(kinds.includes(`raised:${rule}`), `webhook got raised:${rule}`);
        assert.ok(kinds.includes(`cleared:${rule}`), `webhook got cleared:${rule}`);
      }
      assert.ok(kinds.includes("event:upgrade"), "setVault (VaultSet) reported as an admin change");
      assert.equal(
        kinds.filter((k) => k === "event:liquidation-gas").length,
        2,
        "both liquidations above the 100k budget",
      );
      assert.equal(lines.length, hooks.length, "every notice also on stdout as one JSON line");
      assert.equal((JSON.parse(lines[0]!) as { svc: string }).svc, "monitor");
    } finally {
      server.close();
    }
  });
});
