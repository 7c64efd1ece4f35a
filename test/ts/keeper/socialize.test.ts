// Socialization candidates: only positions in profit at the mark, most profitable first, one page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rankProfitFirst, socializeJobKey, unrealizedPnl } from "../../../src/keeper/socialize.ts";

const U = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n; // 18 dp size
const P = (n: number) => BigInt(Math.round(n * 1e6)); // 6 dp price
const A = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;

test("unrealized PnL with realistic decimals: 2.5 units long from 1,000 at 1,100 is +250 USDC", () => {
  assert.equal(unrealizedPnl({ user: A(1), size: U(2.5), entryPrice: P(1000) }, P(1100)), P(250));
  assert.equal(unrealizedPnl({ user: A(1), size: -U(0.5), entryPrice: P(1000) }, P(1100)), -P(50));
});

test("losers, flat and break-even positions are never candidates; winners rank by profit", () => {
  const mark = P(900);
  const ps = [
    { user: A(1), size: U(1), entryPrice: P(1000) }, // long, -100
    { user: A(2), size: -U(1), entryPrice: P(1000) }, // short, +100
    { user: A(3), size: -U(3), entryPrice: P(950) }, // short, +150
    { user: A(4), size: 0n, entryPrice: P(1000) }, // flat
    { user: A(5), size: -U(2), entryPrice: P(900) }, // break-even
    { user: A(6), size: U(1), entryPrice: P(800) }, // long, +100 (ties with A(2), sorts after it)
  ];
  assert.deepEqual(
    rankProfitFirst(ps, mark, 10).map((p) => p.user),
    [A(3), A(2), A(6)],
  );
  assert.deepEqual(
    rankProfitFirst(ps, mark, 2).map((p) => p.user),
    [A(3), A(2)],
  );
});

test("a changed deficit is a new job; the same deficit and candidates are the same job", () => {
  const book = A(0xb0);
  assert.equal(socializeJobKey(book, 5n, [A(3)]), socializeJobKey(book, 5n, [A(3)]));
  assert.notEqual(socializeJobKey(book, 5n, [A(3)]), socializeJobKey(book, 4n, [A(3)]));
});
