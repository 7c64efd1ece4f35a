// Shared test helpers for the two-chain suites.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type Hex } from "viem";
import { collateralErrorsAbi } from "../../../src/relayer/abi.ts";

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), "dexetra-relayer-")), "relayer.sqlite");
}

/** Await `p` and assert it reverted with custom error `name` (decoded with the collateral catalogue). */
export async function expectRevert(p: Promise<unknown>, name: string, extraAbi: Abi = []): Promise<readonly unknown[]> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BaseError, `not a viem error: ${String(e)}`);
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError);
    assert.ok(reverted instanceof ContractFunctionRevertedError, `no revert in: ${e.shortMessage}`);
    if (reverted.data?.errorName === name) return reverted.data.args ?? [];
    const raw = reverted.raw as Hex | undefined;
    assert.ok(raw, `revert without data, expected ${name}`);
    const decoded = decodeErrorResult({ abi: [...collateralErrorsAbi, ...extraAbi], data: raw });
    assert.equal(decoded.errorName, name);
    return decoded.args ?? [];
  }
  assert.fail(`expected revert ${name}, but it succeeded`);
}
