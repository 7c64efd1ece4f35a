import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";

describe("toolchain", () => {
  it("runs the hub chain with a 2,000,000 block gas limit", async () => {
    const { viem } = await network.create("hub");
    const client = await viem.getPublicClient();
    const block = await client.getBlock();
    assert.equal(block.gasLimit, 2_000_000n);
    assert.equal(await client.getChainId(), 999);
  });
});
