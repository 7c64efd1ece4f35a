import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runStory } from "../../../src/demo/story.ts";

describe("demo: the whole story on hub + spoke", () => {
  it("accounts for every user's funds across liquidations, the redeploy and a spoke withdrawal", async () => {
    const r = await runStory({ quiet: true });
    // Conservation to the micro-USDC: what users put in, minus what went back to the spoke, is
    // exactly what the vaults owe (balances, insurance/escrow/fees net of deficit), up to rounding
    // dust that stays with the system (never owed to nobody, never missing).
    const residual = r.totalDeposited - r.totalWithdrawnToSpoke - r.totalWithdrawnOnHub - r.owed - r.oldPots;
    assert.ok(residual >= 0n && residual < 10n, `residual ${residual} micro-USDC`);
    const held = r.vaultUsdc + r.oldVaultUsdc + r.spokeLocked;
    assert.ok(held >= r.owed + r.oldPots, `USDC held ${held} < owed ${r.owed + r.oldPots}`);
    assert.ok(r.vaultUsdc + r.externalCredits >= r.owed, "new vault holdings + credits cover what it owes");
    // The money moved with the balances: the retired vault holds nothing, the new vault and the
    // spoke hold what is owed, and external credit is only what the spoke backs (not migrated balances).
    assert.equal(r.oldVaultUsdc, 0n, "old vault USDC moved to the new vault");
    assert.ok(
      r.vaultUsdc > 0n && r.vaultUsdc + r.spokeLocked >= r.owed,
      "new vault USDC + spoke lock cover what is owed",
    );
    assert.ok(
      r.externalCredits <= r.spokeLocked,
      `external credits ${r.externalCredits} > spoke lock ${r.spokeLocked}`,
    );
    assert.ok(r.vaultUsdc >= r.unallocatedBacking);
    // A hub user withdrew from the new vault (it failed with InsufficientVaultLiquidity before).
    const dave = r.users.find((u) => u.name === "Dave")!;
    assert.equal(dave.hubWithdrawn, 1_000_000_000n);
    assert.equal(r.totalWithdrawnOnHub, dave.hubWithdrawn);
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
