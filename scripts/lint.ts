// Formatting, Solidity lint, and the guard that keeps contract addresses out of the code:
// addresses live only in deployments/<network>.json and the config generated from it.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

function run(cmd: string, args: string[]): void {
  const res = spawnSync(cmd, args, { stdio: "inherit" });
  if (res.status !== 0) {
    process.stderr.write(`lint: ${cmd} ${args.join(" ")} failed\n`);
    process.exit(res.status ?? 1);
  }
}

run("prettier", ["--check", "--log-level", "warn", "."]);
run("solhint", ["--max-warnings", "0", "contracts/**/*.sol"]);

// Address-literal guard over tracked and new TypeScript sources (tests may use literals for bad input).
const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "src", "scripts", "web"], {
  encoding: "utf8",
})
  .stdout.split("\n")
  .filter((f) => /\.(ts|mts|js|mjs|html)$/.test(f));
const literal = /0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g;
const offenders: string[] = [];
for (const f of files) {
  let text: string;
  try {
    text = readFileSync(f, "utf8");
  } catch {
    continue;
  }
  text.split("\n").forEach((line, i) => {
    for (const m of line.matchAll(literal)) {
      if (/^0x0{40}$/.test(m[0])) continue; // the zero address is not a deployment
      if (line.includes("address-literal-ok")) continue; // well-known constants (Multicall3), annotated
      offenders.push(`${f}:${i + 1}: ${m[0]}`);
    }
  });
}
if (offenders.length) {
  process.stderr.write(
    `lint: contract address literals outside deployments/ (read them from the record):\n  ${offenders.join("\n  ")}\n`,
  );
  process.exit(1);
}
