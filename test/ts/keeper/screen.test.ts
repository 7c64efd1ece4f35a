import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  liquidationJobKey,
  mapLimit,
  moveBps,
  pokeJobKey,
  rankWorstFirst,
  type Candidate,
} from "../../../src/keeper/screen.ts";
import { rewardJobKey, splitPool } from "../../../src/keeper/rewards.ts";
import { classify, KeeperError } from "../../../src/keeper/errors.ts";

const c = (user: string, equity: bigint, maintenance: bigint): Candidate => ({
  user: user as `0x${string}`,
  equity,
  maintenance,
  size: 1n,
  entryPrice: 1n,
});

describe("screening", () => {
  it("test_rankWorstFirst_lowestEquityToMaintenanceFirst", () => {
    const ranked = rankWorstFirst([
      c("0xa", 90_000000n, 100_000000n), // 0.9
      c("0xb", -5_000000n, 10_000000n), // -0.5: bankrupt, first
      c("0xc", 10_000000n, 100_000000n), // 0.1
      c("0xd", 1_000000n, 10_000000n), // 0.1, smaller requirement: after 0xc
      c("0xe", 5n, 0n), // no requirement: last
    ]);
    assert.deepEqual(
      ranked.map((x) => x.user),
      ["0xb", "0xc", "0xd", "0xa", "0xe"],
    );
  });

  it("test_liquidationJobKey_changesWithPositionState", () => {
    const book = "0xB00C";
    const k1 = liquidationJobKey(book, { user: "0xAbC", size: -(10n ** 18n), entryPrice: 100_000000n });
    const k2 = liquidationJobKey(book.toLowerCase(), { user: "0xabc", size: -(10n ** 18n), entryPrice: 100_000000n });
    const k3 = liquidationJobKey(book, { user: "0xabc", size: -(5n * 10n ** 17n), entryPrice: 100_000000n });
    assert.equal(k1, k2, "same account and position: same job whatever the case of the address");
    assert.notEqual(k1, k3, "a partial close is the next job");
  });

  it("test_pokeJobKey_oneSlotPerInterval", () => {
    assert.equal(pokeJobKey("0xB", 15_000, 15_000), pokeJobKey("0xb", 29_999, 15_000));
    assert.notEqual(pokeJobKey("0xb", 29_999, 15_000), pokeJobKey("0xb", 30_000, 15_000));
  });

  it("test_moveBps_symmetricAndZeroSafe", () => {
    assert.equal(moveBps(100_000000n, 99_500000n), 50n);
    assert.equal(moveBps(100_000000n, 100_500000n), 50n);
    assert.equal(moveBps(0n, 0n), 0n);
    assert.equal(moveBps(0n, 1n), 10_000n);
  });

  it("test_mapLimit_keepsOrderAndBound", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 2;
    });
    assert.deepEqual(out, [10, 2, 8, 4, 6]);
    assert.equal(peak, 2);
  });
});

describe("maker rewards", () => {
  it("test_splitPool_neverExceedsPoolWith6Decimals", () => {
    const pool = 1_000001n; // 1.000001 USDC
    const w = [3n * 10n ** 18n, 3n * 10n ** 18n, 3n * 10n ** 18n];
    const parts = splitPool(pool, w, 9n * 10n ** 18n);
    assert.deepEqual(parts, [333333n, 333333n, 333333n]);
    assert.ok(parts.reduce((a, b) => a + b) <= pool);
    assert.deepEqual(splitPool(5n, [1n], 0n), [0n]);
  });

  it("test_rewardJobKey_perEvent", () => {
    assert.equal(rewardJobKey({ txHash: "0xAB", logIndex: 3 }), "reward:0xab:3");
    assert.notEqual(rewardJobKey({ txHash: "0xab", logIndex: 3 }), rewardJobKey({ txHash: "0xab", logIndex: 4 }));
  });
});

describe("errors", () => {
  it("test_classify_kinds", () => {
    assert.equal(classify(new KeeperError("timeout", "x")), "timeout");
    assert.equal(classify(new Error("execution reverted: NotLiquidatable")), "revert");
    assert.equal(classify(new Error("nonce too low")), "nonce");
    assert.equal(classify(new Error("outer", { cause: new Error("request timed out") })), "timeout");
    assert.equal(classify(new Error("HTTP request failed")), "rpc");
  });
});
