// Append-only JSON-lines journal next to the record: every transaction is written here (with its
// nonce) before it is sent and marked with its hash after, so a killed run can resume exactly.
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
} from "node:fs";
import { dirname } from "node:path";
import { DexetraError, ErrorCodes } from "../config/errors.ts";

export type JournalEvent =
  | { t: "run-start"; runbook: string; paramsHash: string; at: string }
  | { t: "sending"; id: string; from: string; nonce: number; fingerprint: string; predicted?: string }
  | { t: "sent"; id: string; hash: string }
  | {
      t: "done";
      id: string;
      via: "tx" | "chain-state" | "reused" | "safe" | "local";
      hash?: string;
      gasUsed?: string;
      output?: Record<string, string>;
    }
  | { t: "safe-batch"; ids: string[]; file: string; checksum: string }
  | { t: "run-complete"; at: string };

export type StepState = {
  sending?: Extract<JournalEvent, { t: "sending" }>;
  hash?: string;
  done?: Extract<JournalEvent, { t: "done" }>;
};

export class Journal {
  readonly file: string;
  readonly events: JournalEvent[];

  constructor(file: string, events: JournalEvent[]) {
    this.file = file;
    this.events = events;
  }

  static load(file: string): Journal {
    if (!existsSync(file)) return new Journal(file, []);
    const lines = readFileSync(file, "utf8").split("\n");
    const events: JournalEvent[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        events.push(JSON.parse(line) as JournalEvent);
      } catch (cause) {
        // A torn final line is what a kill during append leaves: the event never happened.
        const isLast = lines.slice(i + 1).every((l) => l.trim() === "");
        if (!isLast) {
          throw new DexetraError(ErrorCodes.JOURNAL_CORRUPT, `${file}:${i + 1} is not a journal event`, { cause });
        }
      }
    });
    return new Journal(file, events);
  }

  /** Durable append: the line is on disk (fsync) before the caller goes on to send anything. */
  append(ev: JournalEvent): void {
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, JSON.stringify(ev) + "\n");
    const fd = openSync(this.file, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.events.push(ev);
  }

  get started(): Extract<JournalEvent, { t: "run-start" }> | undefined {
    return this.events.find((e): e is Extract<JournalEvent, { t: "run-start" }> => e.t === "run-start");
  }

  get completed(): boolean {
    return this.events.some((e) => e.t === "run-complete");
  }

  step(id: string): StepState {
    const s: StepState = {};
    for (const e of this.events) {
      if (!("id" in e) || e.id !== id) continue;
      if (e.t === "sending") {
        s.sending = e;
        delete s.hash;
      } else if (e.t === "sent") s.hash = e.hash;
      else if (e.t === "done") s.done = e;
    }
    return s;
  }

  lastSafeBatch(): Extract<JournalEvent, { t: "safe-batch" }> | undefined {
    return this.events.filter((e): e is Extract<JournalEvent, { t: "safe-batch" }> => e.t === "safe-batch").at(-1);
  }

  outputs(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.events) if (e.t === "done" && e.output) Object.assign(out, e.output);
    return out;
  }

  /** Move a finished journal aside so the next run of the same runbook starts fresh. */
  archive(now: Date = new Date()): string {
    const to = `${this.file.replace(/\.jsonl$/, "")}.${now.toISOString().replace(/[:.]/g, "-")}.jsonl`;
    renameSync(this.file, to);
    return to;
  }
}
