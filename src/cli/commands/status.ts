// `dexetra status`: the runbook journals of this network and where each run stands.
import { readdirSync, existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Journal } from "../../runbook/journal.ts";
import type { CommandSpec } from "../command.ts";
import { formatTable } from "../internal/table.ts";

export const status: CommandSpec = {
  name: "status",
  description: "show the runbook journals of this network (running, awaiting a Safe, completed)",
  sends: false,
  async run(ctx) {
    const dir = dirname(ctx.recordFile);
    const prefix = `${ctx.network}.`;
    const files = existsSync(dir)
      ? readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(".journal.jsonl"))
      : [];
    const rows = files.map((f) => {
      const j = Journal.load(join(dir, f));
      const done = j.events.filter((e) => e.t === "done").length;
      const sent = j.events.filter((e) => e.t === "done" && e.via === "tx").length;
      const batch = j.lastSafeBatch();
      return {
        runbook: basename(f, ".journal.jsonl").slice(prefix.length),
        state: j.completed ? "completed" : batch ? "awaiting-safe?" : "unfinished",
        stepsDone: done,
        txSent: sent,
        started: j.started?.at ?? "",
        safeBatch: batch?.file ?? "",
      };
    });
    return { data: rows, text: formatTable(rows) };
  },
};
