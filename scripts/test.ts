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
    // Hardhat's summary: "N passing (...)" and, when something failed, "M failing". The last of
    // each wins (the combined summary comes after the per-runner ones); lines are scanned as they
    // stream, so a long failure dump after the summary cannot push it out of view.
    let partial = "";
    let lastPassing: number | undefined;
    let lastFailing: number | undefined;
    const scan = (line: string) => {
      const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
      const p = /^\s*(\d+) passing/.exec(plain);
      const f = /^\s*(\d+) failing/.exec(plain);
      if (p) lastPassing = Number(p[1]);
      if (f) lastFailing = Number(f[1]);
    };
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      lines.forEach(scan);
    });
    child.on("close", (code, signal) => {
      scan(partial);
      passed += lastPassing ?? 0;
      failed += lastFailing ?? 0;
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
