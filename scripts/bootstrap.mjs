#!/usr/bin/env node
// Dependency-free first-run bootstrap. Hardhat 3 and its native EVM need Node >= 22, but the
// machines ship Node 20, and npm running on Node 20 silently skips the EDR binding. So the
// project carries Node 22 as a dev dependency and installs itself with npm running on Node 22.
// Every later `npm run ...` resolves `node` to node_modules/.bin/node (22.x).
import { existsSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "node_modules", ".dexetra-install-stamp");
const lock = join(root, "package-lock.json");
const pkg = join(root, "package.json");

function inputsDigest() {
  const parts = [readFileSync(pkg, "utf8")];
  if (existsSync(lock)) parts.push(String(statSync(lock).size), readFileSync(lock, "utf8").slice(0, 4096));
  let h = 0;
  for (const ch of parts.join("|")) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return String(h >>> 0);
}

function installed() {
  if (!existsSync(stamp)) return false;
  if (readFileSync(stamp, "utf8").trim() !== inputsDigest()) return false;
  const edr = join(root, "node_modules", "@nomicfoundation", "edr-linux-x64-gnu");
  return existsSync(join(root, "node_modules", ".bin", "node")) && (process.platform !== "linux" || existsSync(edr));
}

if (!installed()) {
  const major = Number(process.versions.node.split(".")[0]);
  const cmd = existsSync(lock) ? "ci" : "install";
  const opts = { cwd: root, stdio: "inherit" };
  process.stderr.write(`[bootstrap] installing dependencies (npm ${cmd} on Node 22) ...\n`);
  try {
    if (major >= 22) execFileSync("npm", [cmd, "--no-audit", "--no-fund"], opts);
    else execFileSync("npx", ["-y", "-p", "node@22", "--", "npm", cmd, "--no-audit", "--no-fund"], opts);
  } catch (err) {
    process.stderr.write(`[bootstrap] dependency install failed: ${err.message}\n`);
    process.exit(1);
  }
  writeFileSync(stamp, inputsDigest() + "\n");
}
