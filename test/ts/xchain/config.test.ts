import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildRoutes, parseRelayerConfig } from "../../../src/relayer/config.ts";
import { loadSigners } from "../../../src/relayer/keys.ts";
import { generatePrivateKey } from "viem/accounts";

const a = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const base = {
  hub: { name: "hub", chainId: 999, rpcUrl: "http://127.0.0.1:8545", contract: a(1), verifier: a(2), startBlock: 10 },
  spokes: [
    {
      name: "arb",
      chainId: 42161,
      rpcUrl: "http://127.0.0.1:8546",
      contract: a(3),
      verifier: a(4),
      startBlock: 5,
      confirmations: 20,
    },
  ],
};

describe("relayer configuration", () => {
  it("builds a deposit and a withdrawal route per spoke with per-source confirmations", () => {
    const cfg = parseRelayerConfig(base);
    const routes = buildRoutes(cfg, generatePrivateKey());
    assert.deepEqual(
      routes.map((r) => [r.name, r.kind, r.startBlock, r.confirmations]),
      [
        ["deposits:42161->999", 1, 5n, 20n],
        ["withdrawals:999->42161", 2, 10n, 0n],
      ],
    );
    assert.equal(routes[0]!.destination.contract, a(1));
    assert.equal(cfg.db, ".dexetra/relayer.sqlite");
  });

  it("refuses a malformed address with a CONFIG error naming the field", () => {
    const bad = { ...base, hub: { ...base.hub, contract: "0x1234" } };
    assert.throws(
      () => parseRelayerConfig(bad),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "CONFIG");
        assert.match(e.message, /hub\.contract/);
        return true;
      },
    );
  });

  it("loads signer keys only from the environment and refuses bad ones", () => {
    assert.throws(() => loadSigners({}), { code: "NO_SIGNER_KEYS" });
    assert.throws(() => loadSigners({ DEXETRA_RELAYER_SIGNER_KEYS: "0x12" }), { code: "BAD_SIGNER_KEY" });
    const keys = [generatePrivateKey(), generatePrivateKey()];
    assert.equal(loadSigners({ DEXETRA_RELAYER_SIGNER_KEYS: keys.join(",") }).length, 2);
  });
});
