// The README's test command: typecheck, lint, the address-literal guard, then every Solidity
// (unit, fuzz, invariant) and node:test suite in one `hardhat test` run, so contracts compile once.
import { spawnSync } from "node:child_process";

type Step = { name: string; cmd: string; args: string[] };

const steps: Step[] = [
  { name: "typecheck", cmd: "tsc", args: ["-p", "."] },
  { name: "lint", cmd: "node", args: ["scripts/lint.ts"] },
  { name: "hardhat test", cmd: "hardhat", args: ["test", ...process.argv.slice(2)] },
];

for (const step of steps) {
  const started = Date.now();
  process.stdout.write(`\n== ${step.name} ==\n`);
  const res = spawnSync(step.cmd, step.args, { stdio: "inherit" });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (res.status !== 0) {
    process.stderr.write(`\n${step.name} failed (exit ${res.status ?? res.signal}) after ${secs}s\n`);
    process.exit(res.status ?? 1);
  }
  process.stdout.write(`${step.name} ok (${secs}s)\n`);
}
