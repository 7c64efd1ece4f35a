// The dashboard in headless Debian chromium: the page loads, shows the record's addresses, and
// highlights a wiring drift the test introduces on chain.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildCascade, cascadeRecord } from "../../../src/keeper/scenario.ts";
import { writeRecord } from "../../../src/config/record.ts";
import { startDashboard } from "../../../src/dashboard/server.ts";
import { coreVaultAbi } from "../../../src/chain/abi/coreVault.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";

describe("dashboard in headless chromium", { skip: !chromiumAvailable() && "no /usr/bin/chromium" }, () => {
  it("test_page_showsRecordAddressesAndHighlightsIntroducedDrift", async () => {
    const chain = await network.create("hub");
    const c = await buildCascade(chain, { symbols: ["ETH-USD"], victims: 2 });
    const dir = mkdtempSync(join(tmpdir(), "dash-"));
    const recordFile = join(dir, "hub.json");
    const [admin, keeper] = await chain.viem.getWalletClients();
    const rec = cascadeRecord(c, "hub");
    rec.operators.keepers = [keeper!.account.address];
    writeRecord(recordFile, rec);
    const dash = await startDashboard({ client: c.client, recordFile, network: "hub" });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${dash.url}/?refreshMs=300`);
      await page.waitForSelector("#contracts code");
      const contracts = (await page.textContent("#contracts"))?.toLowerCase();
      assert.ok(contracts?.includes(c.vault.toLowerCase()), "vault address from the record");
      assert.ok(contracts?.includes(c.usdc.toLowerCase()), "USDC address from the record");
      assert.ok(
        (await page.textContent("#markets"))?.toLowerCase().includes(c.markets[0]!.book.toLowerCase()),
        "order book address",
      );
      await page.waitForFunction(() => document.querySelector("#driftSummary")?.textContent?.includes("no drift"));
      assert.equal(await page.locator("#roles tr.drift").count(), 0, "baseline: role matrix clean");
      // The two liquidatable longs are listed as at risk; their risk group cannot be proven healthy.
      await page.waitForFunction(() => document.querySelectorAll("#atRisk tr").length === 3);
      assert.match((await page.textContent("#markets")) ?? "", /0\/1 proven/);
      // The record's keeper liquidates one: one account left at risk, and the book owes the keeper
      // its deferred reward.
      await keeper!.writeContract({
        address: c.markets[0]!.book,
        abi: c.bookAbi,
        functionName: "liquidateUser",
        args: [c.markets[0]!.victims[0]!],
        chain: null,
      });
      await page.waitForFunction(() => document.querySelectorAll("#atRisk tr").length === 2);
      const owed = await page.evaluate(
        () => document.querySelector("#markets tr:nth-child(2) td:last-child")?.textContent,
      );
      assert.ok(Number(owed) > 0, `keeper rewards owed shown (${owed})`);

      // Drift: a stranger is granted EXTERNAL_CREDITOR_ROLE (can mint credit) on the vault.
      const stranger = privateKeyToAccount(generatePrivateKey()).address;
      await admin!.writeContract({
        address: c.vault,
        abi: coreVaultAbi,
        functionName: "grantRole",
        args: [keccak256(toHex("EXTERNAL_CREDITOR_ROLE")), stranger],
      });
      await page.waitForSelector("#drift tr.drift");
      const drift = await page.textContent("#drift");
      assert.match(drift ?? "", /unexpected EXTERNAL_CREDITOR_ROLE holder/);
      const row = page.locator("#roles tr.drift", { hasText: stranger.toLowerCase() });
      assert.equal(await row.count(), 1, "the stranger's row in the role matrix is highlighted");
      assert.equal(await row.locator("td.unexpected").count(), 1);
      // Read in one page turn: the table is re-rendered every 300 ms.
      const color = await page.evaluate(() => {
        const td = document.querySelector("#drift tr.drift td");
        return td ? getComputedStyle(td).color : "";
      });
      assert.equal(color, "rgb(153, 0, 0)", "drift is shown in red");
      assert.match((await page.textContent("#driftSummary")) ?? "", /1 critical/);
    } finally {
      await browser.close();
      await dash.close();
    }
  });
});
