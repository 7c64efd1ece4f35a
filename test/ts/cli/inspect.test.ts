import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseUnits } from "viem";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

describe("inspect-orderbook-liq", () => {
  let s: LiveSystem;
  before(async () => {
    s = await startLiveSystem({ hub: false });
    await populate(s);
  });

  it("shows the book's vault wiring, prices, positions, cursor and poke gas", async () => {
    const m = s.rec().markets.find((x) => x.symbol === "ETH-USD")!;
    const r = await s.cli.run(["inspect-orderbook-liq", "--orderBook", m.orderBook, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = r.json();
    assert.equal(j.vault, s.rec().contracts.CoreVault!.address);
    assert.equal(j.mappingOk, true);
    assert.equal(j.registered, true);
    // populate(): a and the credited user long, b and c short; d bids 0.50 below, credited[1] asks 0.50 above.
    assert.equal(j.usersWithPositions, 4);
    assert.equal(j.bestBid, (parseUnits("3000", 6) - 500_000n).toString());
    assert.equal(j.bestAsk, (parseUnits("3000", 6) + 500_000n).toString());
    assert.deepEqual(j.liquidatableNow, []);
    // Four positions = one risk group, summarized by the fills and healthy at the mark; every
    // trader here holds all three markets, so its four entries are flagged for exact checks.
    assert.deepEqual(j.riskGroups, { total: 1, provenAtMark: 1, flaggedInProven: 4, unproven: [] });
    assert.equal(j.pokeFits, true);
    assert.ok(BigInt(j.pokeGas) < 2_000_000n);
    const human = await s.cli.run(["inspect-orderbook-liq", "--orderBook", m.orderBook]);
    assert.match(human.stdout, /poke gas\s+\d+ of 2000000 \(fits\)/);
    assert.match(human.stdout, /risk groups\s+1\/1 proven at the mark \(\+4 cross-margin entries\)/);
  });

  it("refuses a book address that is not a contract on this chain", async () => {
    const r = await s.cli.run(["inspect-orderbook-liq", "--orderBook", s.accounts[5]!, "--json"]);
    assert.equal(r.json().error.code, "E_WRONG_CHAIN_ADDRESS");
  });
});
