// The multisig flow end to end: the system's admin is a Safe; redeploy-corevault --safe writes
// each run of admin transactions as a checksummed Transaction Builder batch, stops (exit 3), and
// after the multisig executed the batch the next run verifies it on chain and continues.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { getAddress } from "viem";
import type { Address, Hex } from "viem";
import { hubAbi, vaultWiringAbi, accessControlAbi, roleId } from "../../../src/chain/abis.ts";
import { readSafeBatch } from "../../../src/runbook/safe.ts";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

describe("redeploy-corevault --safe (admin is a multisig)", () => {
  let s: LiveSystem;
  let safe: Address;
  before(async () => {
    s = await startLiveSystem({ admin: 15 });
    safe = s.accounts[15]!;
    await populate(s);
  });

  async function execute(file: string): Promise<number> {
    const batch = readSafeBatch(file); // checksum verified
    await s.hh.networkHelpers.impersonateAccount(safe);
    for (const t of batch.transactions) {
      const h = (await s.conn.provider.request({
        method: "eth_sendTransaction",
        params: [{ from: safe, to: t.to as Address, data: t.data as Hex, value: "0x0" }],
      })) as Hex;
      assert.equal((await s.conn.client.waitForTransactionReceipt({ hash: h })).status, "success");
    }
    return batch.transactions.length;
  }

  it("deploy handed the vault to the Safe and the deployer kept no admin role", async () => {
    const v = s.rec().contracts.CoreVault!.address;
    const has = (a: Address) =>
      s.conn.client.readContract({
        address: v,
        abi: accessControlAbi,
        functionName: "hasRole",
        args: [roleId("DEFAULT_ADMIN_ROLE"), a],
      });
    assert.equal(await has(safe), true);
    assert.equal(await has(s.admin), false);
    assert.equal((await s.cli.run(["check"])).code, 0);
  });

  it("batches admin steps, waits for the multisig, verifies and completes", async () => {
    const old = s.rec().contracts.CoreVault!.address;
    const batches: string[] = [];
    let r = await s.cli.run(["redeploy-corevault", "--books", "keep", "--safe", safe, "--json"]);
    for (let i = 0; i < 6 && r.code === 3; i++) {
      const file = r.json().safeBatch as string;
      batches.push(file);
      // Running again before the multisig acted changes nothing and still waits.
      const waiting = await s.cli.run(["redeploy-corevault", "--books", "keep", "--safe", safe, "--json"]);
      assert.equal(waiting.code, 3);
      assert.equal(waiting.json().error.code, "E_AWAITING_SAFE");
      assert.ok((await execute(file)) > 0);
      r = await s.cli.run(["redeploy-corevault", "--books", "keep", "--safe", safe, "--json"]);
    }
    assert.equal(r.code, 0, r.stderr);
    assert.equal(batches.length, 3, "pause | hub re-point | unpause");
    const rec = s.rec();
    const nv = rec.contracts.CoreVault!.address;
    assert.notEqual(nv, old);
    assert.equal(
      getAddress(
        (await s.conn.client.readContract({
          address: rec.contracts.CollateralHub!.address,
          abi: hubAbi,
          functionName: "coreVault",
        })) as Address,
      ),
      nv,
    );
    assert.equal(
      await s.conn.client.readContract({ address: old, abi: vaultWiringAbi, functionName: "paused" }),
      false,
    );
    const has = (a: Address) =>
      s.conn.client.readContract({
        address: nv,
        abi: accessControlAbi,
        functionName: "hasRole",
        args: [roleId("DEFAULT_ADMIN_ROLE"), a],
      });
    assert.equal(await has(safe), true, "the Safe administers the new vault");
    assert.equal(await has(s.admin), false, "the deployer renounced");
    assert.equal((await s.cli.run(["validate"])).code, 0);
  });
});
