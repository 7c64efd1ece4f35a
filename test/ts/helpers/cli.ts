// Run the CLI in-process against a shared in-process chain and capture its output.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../../src/cli/main.ts";
import type { CliIO } from "../../../src/cli/context.ts";
import type { ChainConn } from "../../../src/chain/connect.ts";

export type CliRun = { code: number; stdout: string; stderr: string; json: () => any };

export function cliRunner(conns: Record<string, ChainConn>, baseEnv: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), "dexetra-cli-"));
  const env: NodeJS.ProcessEnv = {
    DEXETRA_DEPLOYMENTS_DIR: join(dir, "deployments"),
    DEXETRA_GENERATED_DIR: join(dir, "generated"),
    ...baseEnv,
  };
  const run = async (argv: string[], extra: Partial<CliIO> = {}): Promise<CliRun> => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s),
      env: { ...env, ...(extra.env ?? {}) },
      cwd: dir,
      conns,
      ...(extra.hooks ? { hooks: extra.hooks } : {}),
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  };
  return { dir, env, run };
}
