// `dexetra`: one CLI for the deployment record, wiring checks and the CoreVault runbooks.
// Every bad input (unknown flag, malformed or wrong-chain address, a record for another network,
// a missing signer) is refused with a DexetraError before any transaction is sent.
import { Command, CommanderError } from "commander";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import type { CommandSpec } from "./command.ts";
import { Ctx } from "./context.ts";
import type { CliIO, GlobalOpts } from "./context.ts";
import { toJson } from "./internal/table.ts";
import { commands } from "./commands/index.ts";

function defaultIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  };
}

export function buildProgram(io: CliIO, onCtx: (c: Ctx) => void, specs: CommandSpec[] = commands): Command {
  const program = new Command("dexetra")
    .description("Dexetra operations: deployment record, wiring checks, CoreVault upgrade/redeploy runbooks")
    .option(
      "-n, --network <name>",
      "network: hub | hubBig | spoke (in-process) or any name with DEXETRA_RPC_URL[_<NAME>]",
      io.env.DEXETRA_NETWORK ?? "hub",
    )
    .option("--json", "machine-readable output on stdout", false)
    .option("--plan", "print every transaction (target, function, args, reason) without sending", false)
    .option("--safe <address>", "write admin transactions as a Safe Transaction Builder batch for this Safe")
    .option("--keystore <file>", "encrypted keystore v3 file for the signer (password in DEXETRA_KEYSTORE_PASSWORD)")
    .option("--confirmations <n>", "confirmations to wait per transaction (default 1 in-process, 5 on RPC networks)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} })
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);

  for (const spec of specs) {
    let cmd = program.command(spec.name).description(spec.description).allowExcessArguments(false);
    if (spec.options) cmd = spec.options(cmd);
    cmd.action(async (...a: unknown[]) => {
      const self = a[a.length - 1] as Command;
      const all = self.optsWithGlobals() as GlobalOpts & Record<string, unknown>;
      const ctx = new Ctx(
        {
          network: all.network,
          json: all.json,
          plan: all.plan,
          ...(all.safe !== undefined ? { safe: all.safe } : {}),
          ...(all.keystore !== undefined ? { keystore: all.keystore } : {}),
          ...(all.confirmations !== undefined ? { confirmations: all.confirmations } : {}),
        },
        io,
      );
      onCtx(ctx);
      void ctx.safe; // validate --safe up front
      if (ctx.g.safe !== undefined && !spec.sends) {
        throw new DexetraError(
          ErrorCodes.BAD_FLAG,
          `--safe does not apply to \`dexetra ${spec.name}\` (it sends nothing)`,
        );
      }
      if (spec.sends) ctx.requireSignerSource();
      const out = await spec.run(ctx, self.opts(), self.args);
      io.stdout(ctx.g.json ? toJson(out.data) : out.text);
      if (out.exitCode) throw new ExitWith(out.exitCode);
    });
  }
  return program;
}

class ExitWith extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

export function toDexetraError(e: unknown): DexetraError {
  if (e instanceof DexetraError) return e;
  if (e instanceof CommanderError) {
    return new DexetraError(ErrorCodes.BAD_FLAG, e.message.replace(/^error: /, ""), {
      cause: e,
      details: { commander: e.code },
    });
  }
  return new DexetraError(ErrorCodes.INTERNAL, e instanceof Error ? e.message : String(e), { cause: e });
}

/** Run the CLI; returns the process exit code (never calls process.exit). */
export async function runCli(argv: string[], partial: Partial<CliIO> = {}): Promise<number> {
  const io: CliIO = { ...defaultIO(), ...partial };
  let ctx: Ctx | undefined;
  const json = argv.includes("--json");
  try {
    await buildProgram(io, (c) => (ctx = c)).parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof ExitWith) return e.code;
    if (
      e instanceof CommanderError &&
      ["commander.helpDisplayed", "commander.help", "commander.version"].includes(e.code)
    ) {
      return 0;
    }
    const err = toDexetraError(e);
    if (json) io.stdout(toJson({ error: err.toJSON() }));
    io.stderr(`error [${err.code}]: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ""}`);
    if (err.code === ErrorCodes.INTERNAL && e instanceof Error && e.stack) io.stderr(e.stack + "\n");
    return err.exitCode;
  } finally {
    await ctx?.close();
  }
}
