import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import { keccak256, parseUnits, toHex } from "viem";
import { deployVault } from "../../../src/chain/deployVault.ts";
import { coreVaultAbi } from "../../../src/chain/abi/coreVault.ts";
import { mockUsdcAbi } from "../../../src/chain/abi/mockUsdc.ts";
import { GENERATED, artifactAbi } from "../../../scripts/gen-abis.ts";

// ERC1967Utils.IMPLEMENTATION_SLOT
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

describe("deployVault", () => {
  it("deploys MockUSDC + CoreVault behind an ERC-1967 proxy that works end to end", async () => {
    const { viem } = await network.create("hubBig");
    const [admin, ob, alice] = await viem.getWalletClients();
    assert.ok(admin && ob && alice);
    const { usdc, vault, implementation, publicClient } = await deployVault(viem);
    assert.equal((await vault.read.collateralToken()).toLowerCase(), usdc.address.toLowerCase());
    const adminRole = await vault.read.DEFAULT_ADMIN_ROLE();
    assert.equal(await vault.read.hasRole([adminRole, admin.account.address]), true);

    const raw = await publicClient.getStorageAt({ address: vault.address, slot: IMPLEMENTATION_SLOT });
    assert.ok(raw?.toLowerCase().endsWith(implementation.slice(2).toLowerCase()), `implementation slot ${raw}`);

    const market = keccak256(toHex("ETH-USD"));
    await vault.write.registerOrderBook([ob.account.address]);
    await vault.write.assignMarketToOrderBook([market, ob.account.address]);
    const amount = parseUnits("1000", 6);
    await usdc.write.mint([alice.account.address, amount]);
    await usdc.write.approve([vault.address, amount], { account: alice.account });
    await vault.write.deposit([amount], { account: alice.account });
    await vault.write.updatePositionWithMargin(
      [alice.account.address, market, parseUnits("1", 18), parseUnits("2000", 6), 0n],
      { account: ob.account },
    );
    assert.equal(await vault.read.getUsersWithPositionsInMarketCount([market]), 1n);
    assert.equal(await vault.read.getLockedMargin([alice.account.address]), parseUnits("200", 6));
  });

  it("keeps the committed ABIs equal to the build (regenerate with scripts/gen-abis.ts)", () => {
    const committed: Record<string, unknown> = { coreVaultAbi, mockUsdcAbi };
    for (const g of GENERATED) assert.deepEqual(committed[g.name], artifactAbi(g.artifact), g.name);
  });
});
