// `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<Record<string, number>>`)
// on in-process chains and writes one flat object to bench/results.json. Gas comes from receipts.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";

const only = process.argv[2];
const dir = join(import.meta.dirname, "..", "bench");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only)))
  .sort();

const build = spawnSync("hardhat", ["build", "--quiet"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const results: Record<string, number> = {};
for (const f of files) {
  process.stdout.write(`bench: ${f}\n`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run: () => Promise<Record<string, number>> };
  Object.assign(results, await mod.run());
}
const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
const out = join(dir, "results.json");
let merged = sorted;
if (only) {
  // A partial run keeps the other keys.
  const { readFileSync, existsSync } = await import("node:fs");
  const prev = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, number>) : {};
  merged = Object.fromEntries(Object.entries({ ...prev, ...sorted }).sort(([a], [b]) => a.localeCompare(b)));
}
writeFileSync(out, JSON.stringify(merged, null, 2) + "\n");
console.table(Object.entries(sorted).map(([metric, value]) => ({ metric, value })));
process.exit(0);
