import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import type { Address, EIP1193Provider } from "viem";
import { fromProvider } from "../../../src/chain/connect.ts";
import type { ChainConn } from "../../../src/chain/connect.ts";
import { encryptKeystore } from "../../../src/chain/keystore.ts";
import { writeRecord } from "../../../src/config/record.ts";
import { emptyRecord } from "../../../src/config/schema.ts";
import { cliRunner } from "../helpers/cli.ts";

// Hardhat's well-known first test account and its public test key.
const DEV = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" as Address;
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

describe("dexetra refuses bad input before sending anything", () => {
  let conn: ChainConn;
  let cli: ReturnType<typeof cliRunner>;
  let nonce0: number;

  before(async () => {
    const hh = await network.create("hub");
    conn = await fromProvider("hub", hh.provider as unknown as EIP1193Provider, true);
    cli = cliRunner({ hub: conn });
    nonce0 = await conn.client.getTransactionCount({ address: DEV });
  });

  const sentNothing = async () => assert.equal(await conn.client.getTransactionCount({ address: DEV }), nonce0);

  it("an unknown flag, naming it (exit 2, E_BAD_FLAG)", async () => {
    const r = await cli.run(["regrant-roles", "--coreVualt", DEV, "--json"]);
    assert.equal(r.code, 2);
    assert.equal(r.json().error.code, "E_BAD_FLAG");
    assert.match(r.stderr, /--coreVualt/);
    await sentNothing();
  });

  it("an unknown command and excess arguments", async () => {
    assert.equal((await cli.run(["redeploy-vault"])).code, 2);
    const r = await cli.run(["status", "extra"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_BAD_FLAG/);
  });

  it("a malformed address and a bad checksum, naming the flag", async () => {
    const r1 = await cli.run(["check-roles", "--coreVault", "0x1234", "--json"]);
    assert.equal(r1.code, 2);
    assert.equal(r1.json().error.code, "E_BAD_ADDRESS");
    assert.match(r1.json().error.message, /--coreVault "0x1234"/);
    const badSum = DEV.replace("F39", "f39").replace("f39Fd", "f39fD");
    const r2 = await cli.run(["check-roles", "--coreVault", badSum, "--json"]);
    assert.equal(r2.json().error.code, "E_BAD_ADDRESS");
    assert.match(r2.json().error.message, /checksum/);
    const r3 = await cli.run(["regrant-roles", "--safe", "0xnotasafe"]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /--safe/);
    await sentNothing();
  });

  it("an address with no contract on this chain (from another network)", async () => {
    const r = await cli.run(["check-roles", "--coreVault", DEV, "--json"]);
    assert.equal(r.code, 2);
    assert.equal(r.json().error.code, "E_WRONG_CHAIN_ADDRESS");
    assert.match(r.json().error.message, /--coreVault .* chain 999/);
  });

  it("a record that belongs to another network", async () => {
    const file = join(cli.env.DEXETRA_DEPLOYMENTS_DIR!, "hub.json");
    writeRecord(file, emptyRecord("hub", 42161));
    const r = await cli.run(["check", "--json"]);
    assert.equal(r.code, 2);
    assert.equal(r.json().error.code, "E_RECORD_CHAIN_MISMATCH");
    writeRecord(file, emptyRecord("spoke", 999));
    assert.equal((await cli.run(["config", "show", "--json"])).json().error.code, "E_RECORD_CHAIN_MISMATCH");
    mkdirSync(cli.env.DEXETRA_DEPLOYMENTS_DIR!, { recursive: true });
    writeFileSync(file, "{ not json");
    assert.equal((await cli.run(["config", "show", "--json"])).json().error.code, "E_RECORD_INVALID");
  });

  it("a missing signer on an RPC network, before the endpoint is even contacted", async () => {
    // Port 9 would fail with E_NETWORK if the CLI tried to connect first.
    const r = await cli.run(["regrant-roles", "--network", "staging", "--json"], {
      env: { DEXETRA_RPC_URL: "http://127.0.0.1:9" },
    });
    assert.equal(r.code, 2);
    assert.equal(r.json().error.code, "E_NO_SIGNER");
    assert.match(r.json().error.hint, /DEXETRA_PRIVATE_KEY/);
  });

  it("a malformed key without echoing it, and a keystore with the wrong password", async () => {
    const secret = "0xdeadbeef" + "1".repeat(10);
    const r = await cli.run(["regrant-roles", "--network", "staging"], {
      env: { DEXETRA_PRIVATE_KEY: secret, DEXETRA_RPC_URL: "http://127.0.0.1:9" },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_NO_SIGNER/);
    assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret));
    const ks = join(cli.dir, "key.json");
    writeFileSync(ks, encryptKeystore(DEV_KEY, "right", { n: 1024 }));
    const w = await cli.run(["regrant-roles", "--network", "staging", "--keystore", ks, "--json"], {
      env: { DEXETRA_KEYSTORE_PASSWORD: "wrong", DEXETRA_RPC_URL: "http://127.0.0.1:9" },
    });
    assert.equal(w.json().error.code, "E_KEYSTORE");
    const np = await cli.run(["regrant-roles", "--network", "staging", "--keystore", ks, "--json"], {
      env: { DEXETRA_RPC_URL: "http://127.0.0.1:9" },
    });
    assert.equal(np.json().error.code, "E_NO_SIGNER");
    assert.match(np.json().error.message, /DEXETRA_KEYSTORE_PASSWORD/);
    // The right password gets past the signer check and only then meets the (unreachable) endpoint.
    const ok = await cli.run(["regrant-roles", "--network", "staging", "--keystore", ks, "--json"], {
      env: { DEXETRA_KEYSTORE_PASSWORD: "right", DEXETRA_RPC_URL: "http://127.0.0.1:9" },
    });
    assert.equal(ok.json().error.code, "E_NETWORK");
    await sentNothing();
  });

  it("keystore: encrypts the env key, never prints it, and the file then signs", async () => {
    const out = join(cli.dir, "made.json");
    const env = { DEXETRA_PRIVATE_KEY: DEV_KEY, DEXETRA_KEYSTORE_PASSWORD: "correct horse" };
    const r = await cli.run(["keystore", "--out", out, "--scrypt-n", "1024", "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().address, DEV);
    assert.ok(!r.stdout.includes(DEV_KEY.slice(2)) && !r.stderr.includes(DEV_KEY.slice(2)));
    assert.equal((await cli.run(["keystore", "--out", out], { env })).code, 2, "refuses to overwrite");
    const use = await cli.run(["regrant-roles", "--network", "staging", "--keystore", out, "--json"], {
      env: { DEXETRA_KEYSTORE_PASSWORD: "correct horse", DEXETRA_RPC_URL: "http://127.0.0.1:9" },
    });
    assert.equal(use.json().error.code, "E_NETWORK", "the signer was accepted; only the endpoint is missing");
  });

  it("--safe on a command that sends nothing", async () => {
    const r = await cli.run(["status", "--safe", DEV, "--json"]);
    assert.equal(r.code, 2);
    assert.match(r.json().error.message, /--safe does not apply/);
  });

  it("--help exits 0 and lists the commands", async () => {
    const r = await cli.run(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /regrant-roles/);
  });
});
