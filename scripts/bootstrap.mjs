#!/usr/bin/env node
// Dependency-free first-run bootstrap, then hand-off to a script on Node 22.
//
//   node scripts/bootstrap.mjs [--with-browser] [--with-postgres] <script.ts> [args...]
//
// Hardhat 3 and its native EVM need Node >= 22, but the machines ship Node 20, and npm running on
// Node 20 silently skips the EDR binding. So the project carries Node 22 as a dev dependency and
// installs itself with npm running on Node 22 (`npx -p node@22 -- npm ci`). The script then runs
// on node_modules/.bin/node with node_modules/.bin first on PATH, so every child (hardhat, tsc,
// prettier) also runs on Node 22. `--with-browser` also installs Debian's chromium for the
// dashboard's browser test when it is missing (root + apt only; otherwise it says what to do).
// `--with-postgres` does the same with Debian's `postgresql` for the keeper's PostgreSQL store tests,
// which start a throwaway cluster from its server binaries (initdb, postgres).
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname, join, delimiter } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "node_modules", ".bin");
const stamp = join(root, "node_modules", ".dexetra-install-stamp");
const lock = join(root, "package-lock.json");

const args = process.argv.slice(2);
const flags = new Set();
while (args[0] === "--with-browser" || args[0] === "--with-postgres") flags.add(args.shift());
const withBrowser = flags.has("--with-browser");
const withPostgres = flags.has("--with-postgres");

function digest() {
  const h = createHash("sha256").update(readFileSync(join(root, "package.json")));
  if (existsSync(lock)) h.update(readFileSync(lock));
  return h.digest("hex");
}

function installed() {
  // A node_modules that is a link is shared with another checkout (git worktrees): never reinstall
  // it from here, that would pull it out from under the other checkout.
  const nm = join(root, "node_modules");
  if (existsSync(nm) && lstatSync(nm).isSymbolicLink()) return true;
  if (!existsSync(stamp) || readFileSync(stamp, "utf8").trim() !== digest()) return false;
  if (!existsSync(join(bin, "node"))) return false;
  const edr = join(root, "node_modules", "@nomicfoundation", "edr-linux-x64-gnu");
  return process.platform !== "linux" || process.arch !== "x64" || existsSync(edr);
}

function say(msg) {
  process.stderr.write(`[bootstrap] ${msg}\n`);
}

if (!installed()) {
  const major = Number(process.versions.node.split(".")[0]);
  const cmd = existsSync(lock) ? "ci" : "install";
  const opts = { cwd: root, stdio: "inherit" };
  say(`installing dependencies (npm ${cmd} on Node 22) ...`);
  try {
    if (major >= 22) execFileSync("npm", [cmd, "--no-audit", "--no-fund"], opts);
    else execFileSync("npx", ["-y", "-p", "node@22", "--", "npm", cmd, "--no-audit", "--no-fund"], opts);
  } catch (err) {
    say(`dependency install failed: ${err.message}`);
    process.exit(1);
  }
  writeFileSync(stamp, digest() + "\n");
}

/** Install a Debian package with apt (root only); otherwise say what is missing and stop. */
function aptInstall(pkg, why, missing) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    say(missing);
    process.exit(1);
  }
  say(`installing Debian's ${pkg} ${why} ...`);
  const q = { stdio: ["ignore", "ignore", "inherit"] };
  try {
    execFileSync("apt-get", ["update", "-qq"], q);
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", pkg], {
      ...q,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch (err) {
    say(`${pkg} install failed: ${err.message}`);
    process.exit(1);
  }
}

const chromium = process.env.DEXETRA_CHROMIUM ?? "/usr/bin/chromium";
if (withBrowser && !existsSync(chromium)) {
  aptInstall(
    "chromium",
    "for the browser tests",
    `chromium not found at ${chromium}: install Debian's 'chromium' or set DEXETRA_CHROMIUM`,
  );
}

/** initdb on PATH or in Debian's /usr/lib/postgresql/<version>/bin (where test/ts/helpers/postgres.ts looks). */
function hasPostgres() {
  const onPath = (process.env.PATH ?? "").split(delimiter).some((d) => d && existsSync(join(d, "initdb")));
  const lib = "/usr/lib/postgresql";
  return onPath || (existsSync(lib) && readdirSync(lib).some((v) => existsSync(join(lib, v, "bin", "initdb"))));
}
if (withPostgres && !hasPostgres()) {
  aptInstall(
    "postgresql",
    "for the keeper's PostgreSQL store tests",
    "PostgreSQL server binaries (initdb, postgres) not found: install Debian's 'postgresql'",
  );
}

if (args.length === 0) process.exit(0);
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` };
const res = spawnSync(join(bin, "node"), ["--disable-warning=ExperimentalWarning", ...args], {
  cwd: root,
  stdio: "inherit",
  env,
});
process.exit(res.status ?? 1);
