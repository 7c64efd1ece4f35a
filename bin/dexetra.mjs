#!/usr/bin/env node
// Thin wrapper: Node >= 22 runs the TypeScript sources directly (type stripping).
const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
