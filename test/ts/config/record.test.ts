import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadContracts } from "../../../src/config/contracts.ts";
import { isDexetraError } from "../../../src/config/errors.ts";
import { writeGeneratedConfig } from "../../../src/config/generate.ts";
import { readRecord, recordPath, writeRecord } from "../../../src/config/record.ts";
import { emptyRecord } from "../../../src/config/schema.ts";

// Hardhat's well-known test accounts, used as placeholder contract addresses.
const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("deployment record", () => {
  const dir = mkdtempSync(join(tmpdir(), "dexetra-rec-"));
  const env = { DEXETRA_DEPLOYMENTS_DIR: join(dir, "deployments"), DEXETRA_GENERATED_DIR: join(dir, "generated") };

  it("round-trips through an atomic write, checksumming addresses", () => {
    const file = recordPath(dir, "hub", env);
    const rec = emptyRecord("hub", 999);
    rec.contracts.CoreVault = {
      artifact: "CoreVault",
      address: A.toLowerCase() as `0x${string}`,
      implementation: B as `0x${string}`,
      previous: [],
    };
    const written = writeRecord(file, rec, new Date("2026-01-01T00:00:00Z"));
    assert.equal(written.contracts.CoreVault!.address, A);
    const back = readRecord(file, { network: "hub", chainId: 999 });
    assert.deepEqual(back, written);
    assert.equal(back.updatedAt, "2026-01-01T00:00:00.000Z");
    assert.deepEqual(readdirSync(join(dir, "deployments")), ["hub.json"], "no temp file left behind");
  });

  it("refuses a record of another chain or network, and an invalid one, naming the problem", () => {
    const file = recordPath(dir, "hub", env);
    assert.throws(
      () => readRecord(file, { network: "hub", chainId: 42161 }),
      (e) => isDexetraError(e, "E_RECORD_CHAIN_MISMATCH") && /chain 999/.test(e.message),
    );
    assert.throws(
      () => readRecord(file, { network: "spoke" }),
      (e) => isDexetraError(e, "E_RECORD_CHAIN_MISMATCH"),
    );
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        ...JSON.parse(readFileSync(file, "utf8")),
        contracts: { CoreVault: { artifact: "CoreVault", address: "0x1234" } },
      }),
    );
    assert.throws(
      () => readRecord(bad),
      (e) => isDexetraError(e, "E_RECORD_INVALID") && /contracts\.CoreVault\.address/.test(e.message),
    );
    const wrongCase = A.slice(0, 3) + A.slice(3, 4).toLowerCase() + A.slice(4);
    writeFileSync(
      bad,
      JSON.stringify({
        ...JSON.parse(readFileSync(file, "utf8")),
        contracts: { X: { artifact: "X", address: wrongCase === A ? A.replace("C", "c") : wrongCase } },
      }),
    );
    assert.throws(
      () => readRecord(bad),
      (e) => isDexetraError(e, "E_RECORD_INVALID"),
    );
    assert.throws(
      () => readRecord(join(dir, "none.json")),
      (e) => isDexetraError(e, "E_RECORD_MISSING"),
    );
    assert.throws(
      () => recordPath(dir, "../etc", env),
      (e) => isDexetraError(e, "E_BAD_FLAG"),
    );
  });

  it("generates the consumer config and loads it with validated environment overrides", () => {
    const rec = readRecord(recordPath(dir, "hub", env));
    const out = writeGeneratedConfig(dir, rec, env);
    assert.ok(existsSync(out.json) && existsSync(out.env));
    assert.match(readFileSync(out.env, "utf8"), new RegExp(`DEXETRA_CORE_VAULT_ADDRESS=${A}`));
    const cfg = loadContracts({ env: { ...env, DEXETRA_NETWORK: "hub" } });
    assert.equal(cfg.contracts.coreVault, A);
    assert.deepEqual(cfg.overridden, []);
    const over = loadContracts({
      env: { ...env, DEXETRA_NETWORK: "hub", DEXETRA_CORE_VAULT_ADDRESS: B.toLowerCase() },
    });
    assert.equal(over.contracts.coreVault, B);
    assert.deepEqual(over.overridden, ["DEXETRA_CORE_VAULT_ADDRESS"]);
    assert.throws(
      () => loadContracts({ env: { ...env, DEXETRA_NETWORK: "hub", DEXETRA_CORE_VAULT_ADDRESS: "0xnope" } }),
      (e) => isDexetraError(e, "E_BAD_ADDRESS") && /DEXETRA_CORE_VAULT_ADDRESS/.test(e.message),
    );
    assert.throws(
      () => loadContracts({ env: { ...env, DEXETRA_NETWORK: "spoke" } }),
      (e) => isDexetraError(e, "E_RECORD_MISSING"),
    );
  });
});
