import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { vaultDemo } from "../../../src/demo/vault.ts";

describe("vault demo chapter", () => {
  it("runs end to end and leaves the state later chapters build on", async (t) => {
    t.mock.method(console, "log", () => {});
    t.mock.method(console, "table", () => {});
    const { deployment, markets, users } = await vaultDemo();
    const { vault } = deployment;
    const eth = markets["ETH-USD"];
    assert.ok(eth);
    assert.equal(await vault.read.getUsersWithPositionsInMarketCount([eth]), 5n);
    assert.ok(users.erin);
    assert.equal(await vault.read.externalCreditOf([users.erin]), 5_000_000_000n);
    assert.equal(await vault.read.getWithdrawable([users.erin]), 0n, "externally backed: nothing to withdraw");
  });
});
