import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keccak256, stringToHex, zeroAddress } from "viem";
import { batchChecksum, buildSafeBatch, serializeForChecksum, validateSafeBatch } from "../../../src/runbook/safe.ts";

describe("Safe Transaction Builder batch", () => {
  it("serializes like the tx-builder: sorted key list, then each value with a trailing comma", () => {
    assert.equal(serializeForChecksum({ b: 1, a: ["x", null] }), '{["a","b"]["x",null],1,}');
    assert.equal(serializeForChecksum({ u: undefined }), '{["u"]null,}');
  });

  it("checksums the file with meta.name nulled and without meta.checksum", () => {
    const b = buildSafeBatch({
      chainId: 999,
      safe: zeroAddress,
      name: "n1",
      description: "d",
      txs: [{ to: zeroAddress, data: "0x1234" }],
      createdAt: 1,
    });
    const { checksum, ...meta } = b.meta;
    const expected = keccak256(stringToHex(serializeForChecksum({ ...b, meta: { ...meta, name: null } })));
    assert.equal(checksum, expected);
    assert.ok(validateSafeBatch(b));
    // The name is excluded (the UI lets people rename a batch), everything else is covered.
    assert.ok(validateSafeBatch({ ...b, meta: { ...b.meta, name: "renamed" } }));
    assert.equal(validateSafeBatch({ ...b, chainId: "1" }), false);
    assert.equal(validateSafeBatch({ ...b, transactions: [{ ...b.transactions[0]!, data: "0x1235" }] }), false);
    assert.equal(batchChecksum(b), checksum);
    assert.equal(b.transactions[0]!.value, "0");
    assert.equal(b.chainId, "999");
  });
});
