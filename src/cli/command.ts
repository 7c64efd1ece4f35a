// The shape of one `dexetra <verb>`: options, whether it sends transactions, and what it returns
// (data for --json, text for people, an exit code when the result itself is a failure).
import type { Command } from "commander";
import type { Ctx } from "./context.ts";

export type CommandOutput = { data: unknown; text: string; exitCode?: number };

export type CommandSpec = {
  name: string;
  description: string;
  /** Sends transactions: the signer source is checked before anything else happens. */
  sends: boolean;
  options?(cmd: Command): Command;
  run(ctx: Ctx, opts: Record<string, unknown>, args: string[]): Promise<CommandOutput>;
};
