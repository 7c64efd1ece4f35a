import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ContractFunctionRevertedError, encodeErrorResult, parseAbi, type Abi, type Hex } from "viem";
import { classify } from "../../../src/relayer/classify.ts";
import { collateralErrorsAbi, hubAbi } from "../../../src/relayer/abi.ts";

function reverted(abi: Abi, data: Hex) {
  return new ContractFunctionRevertedError({ abi, data, functionName: "receiveDeposit" });
}

const enc = (errorName: string, args: readonly unknown[]) =>
  encodeErrorResult({ abi: collateralErrorsAbi, errorName, args } as never);

describe("relayer refusal classification", () => {
  it("treats a consumed message as done", () => {
    const id = `0x${"ab".repeat(32)}` as Hex;
    const v = classify(
      reverted(collateralErrorsAbi, enc("MessageAlreadyProcessed", [id, 1n, `0x${"11".repeat(20)}`, 3n])),
    );
    assert.equal(v.outcome, "already");
  });

  it("never retries a refusal no retry can change", () => {
    for (const [name, args] of [
      ["UnknownSigner", [0n, `0x${"22".repeat(20)}`]],
      ["AmountAboveMessageLimit", [5n, 1n]],
      ["WrongDestination", [1n, `0x${"33".repeat(20)}`]],
    ] as const) {
      const v = classify(reverted(collateralErrorsAbi, enc(name, args)));
      assert.equal(v.outcome, "permanent", name);
      assert.match(v.reason, new RegExp(`^${name}\\(`));
    }
  });

  it("retries pauses and period limits", () => {
    assert.equal(classify(reverted(collateralErrorsAbi, enc("EnforcedPause", []))).outcome, "transient");
    assert.equal(
      classify(reverted(collateralErrorsAbi, enc("PeriodLimitExceeded", [1n, 2n, 2n]))).outcome,
      "transient",
    );
  });

  it("decodes an error bubbled up from the vault through the hub's ABI", () => {
    const data = enc("InsufficientFreeCollateral", [`0x${"44".repeat(20)}`, 10n, 3n]);
    const v = classify(reverted(hubAbi, data));
    assert.equal(v.outcome, "transient");
    assert.match(v.reason, /^InsufficientFreeCollateral\(0x4444/);
  });

  it("keeps an unknown selector visible", () => {
    const v = classify(reverted(parseAbi(["function x()"]), "0xdeadbeef"));
    assert.equal(v.outcome, "transient");
    assert.match(v.reason, /0xdeadbeef/);
  });
});
