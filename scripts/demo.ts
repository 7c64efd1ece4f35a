// `npm run demo`: the end-to-end story on in-process chains. Chapters live in src/demo/.
import { spawnSync } from "node:child_process";

// Compile first (a no-op when nothing changed), so a fresh clone needs nothing else.
const build = spawnSync("hardhat", ["build", "--quiet"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const { runDemo } = await import("../src/demo/main.ts");
await runDemo();
process.exit(0);
