// Rewrites the README's benchmark table from bench/results.json (run after `npm run bench`).
import { readFileSync, writeFileSync } from "node:fs";
import { withTable } from "../src/bench/table.ts";

const results = JSON.parse(readFileSync("bench/results.json", "utf8")) as Record<string, number>;
writeFileSync("README.md", withTable(readFileSync("README.md", "utf8"), results));
console.log(`README benchmark table: ${Object.keys(results).length} metrics`);
