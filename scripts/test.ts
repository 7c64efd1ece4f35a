// The README's test command: typecheck, lint, the address-literal guard, then every Solidity
// (unit, fuzz, invariant) and node:test suite in one `hardhat test` run, so contracts compile once.
// Ends with one plain "tests: N passed, M failed" line for CI.
import { spawn } from "node:child_process";

type Step = { name: string; cmd: string; args: string[] };

const steps: Step[] = [
  { name: "typecheck", cmd: "tsc", args: ["-p", "."] },
  { name: "lint", cmd: "node", args: ["scripts/lint.ts"] },
  { name: "hardhat test", cmd: "hardhat", args: ["test", ...process.argv.slice(2)] },
];

let passed = 0;
let failed = 0;

function runStep(step: Step): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: ["ignore", "pipe", "inherit"] });
    let tail = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-4096);
    });
    child.on("close", (code, signal) => {
      // Hardhat's summary: "N passing (...)" and, when something failed, "M failing".
      const plain = tail.replace(/\x1b\[[0-9;]*m/g, "");
      const p = /(\d+) passing/.exec(plain);
      const f = /(\d+) failing/.exec(plain);
      if (p) passed += Number(p[1]);
      if (f) failed += Number(f[1]);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

for (const step of steps) {
  const started = Date.now();
  process.stdout.write(`\n== ${step.name} ==\n`);
  const code = await runStep(step);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    process.stderr.write(`\n${step.name} failed (exit ${code}) after ${secs}s\n`);
    if (step.name === "hardhat test") console.log(`tests: ${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(code);
  }
  process.stdout.write(`${step.name} ok (${secs}s)\n`);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
