import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runStory } from "../../../src/demo/story.ts";

describe("demo: the whole story on hub + spoke", () => {
  it("accounts for every user's funds across liquidations, the redeploy and a spoke withdrawal", async () => {
    const r = await runStory({ quiet: true });
    // Conservation to the micro-USDC: what users put in, minus what went back to the spoke, is
    // exactly what the vaults owe (balances, insurance/escrow/fees net of deficit), up to rounding
    // dust that stays with the system (never owed to nobody, never missing).
    const residual = r.totalDeposited - r.totalWithdrawnToSpoke - r.owed - r.oldPots;
    assert.ok(residual >= 0n && residual < 10n, `residual ${residual} micro-USDC`);
    const held = r.vaultUsdc + r.oldVaultUsdc + r.spokeLocked;
    assert.ok(held >= r.owed + r.oldPots, `USDC held ${held} < owed ${r.owed + r.oldPots}`);
    assert.ok(r.vaultUsdc + r.externalCredits >= r.owed, "new vault holdings + credits cover what it owes");
    // Per user: migration kept every balance; liquidated accounts are flat; the withdrawal arrived.
    assert.equal(r.migrationIntact, true);
    const liquidated = r.users.filter((u) => u.liquidated);
    assert.ok(liquidated.length >= 2);
    for (const u of liquidated) assert.equal(u.finalSize, 0n, `${u.name} flat`);
    assert.ok(r.liquidations >= liquidated.length);
    assert.ok(r.maxBlockGas <= 2_000_000n && r.maxKeeperTxGas <= 2_000_000n);
    const ben = r.users.find((u) => u.name === "Ben")!;
    assert.equal(ben.spokeWallet, r.totalWithdrawnToSpoke);
    assert.ok(ben.spokeWallet > 0n);
    for (const u of r.users) assert.ok(u.before === u.deposited, `${u.name} credited in full`);
    // Monitor raised liquidation alerts and cleared them once the keeper was done.
    assert.ok(r.alertsCleared >= liquidated.length);
    // Trading happened on the new vault: open positions live there now.
    assert.ok(r.tradesOnNewVault > 0);
    assert.ok(r.users.some((u) => !u.liquidated && u.finalSize !== 0n));
    assert.equal(r.validationFailed, 0);
  });
});
