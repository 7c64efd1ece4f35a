// Flag parsing shared by the service commands: USDC amounts in micro-USDC, "off", and refusals that
// name the flag.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usdcFlag } from "../../../src/cli/internal/service.ts";

test("usdcFlag reads whole and fractional USDC into micro-USDC, and off", () => {
  assert.equal(usdcFlag("--claim-min", "10"), 10_000_000n);
  assert.equal(usdcFlag("--claim-min", "0.5"), 500_000n);
  assert.equal(usdcFlag("--claim-min", "123.456789"), 123_456_789n);
  assert.equal(usdcFlag("--claim-min", "off"), false);
  assert.equal(usdcFlag("--claim-min", undefined), undefined);
});

test("usdcFlag refuses more than 6 decimals, signs and words, naming the flag", () => {
  for (const v of ["1.0000001", "-1", "1e6", "ten", ""]) {
    assert.throws(() => usdcFlag("--claim-min", v), /--claim-min must be a USDC amount/, v);
  }
});
