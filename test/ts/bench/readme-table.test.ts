import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BEGIN, END, renderTable, withTable } from "../../../src/bench/table.ts";

describe("README benchmark table", () => {
  it("shows exactly the figures in bench/results.json", () => {
    const readme = readFileSync("README.md", "utf8");
    const results = JSON.parse(readFileSync("bench/results.json", "utf8")) as Record<string, number>;
    assert.equal(withTable(readme, results), readme, "run `node scripts/bench-table.ts` after `npm run bench`");
  });

  it("marks a figure above its limit and leaves unbounded metrics blank", () => {
    const table = renderTable({ "ob.cancel": 60_001, "vault.deposit": 5, "size.X": 24_576 });
    assert.match(table, /`ob\.cancel` \| 60,001 \| ≤ 60,000 \(must\) \| \*\*no\*\* \|/);
    assert.match(table, /`size\.X` \| 24,576 \| ≤ 24,576 \(EIP-170\) \| yes \|/);
    assert.match(table, /`vault\.deposit` \| 5 \|  \|  \|/);
  });

  it("refuses a README without the generated block", () => {
    assert.throws(() => withTable("no markers", {}), /markers/);
    assert.ok(BEGIN.startsWith("<!--") && END.startsWith("<!--"));
  });
});
