// Where a transaction's gas goes, from the node's `debug_traceTransaction` struct logs: gas per
// code contract (delegatecalls are charged to the code that ran, not the proxy) and per kind of
// work (cold/warm SLOAD, SSTORE, calls, logs, hashing, the rest). A diagnostic for gas work on hot
// paths: `DEXETRA_GAS_PROFILE=ob.cancel node scripts/bench.ts orderbook` prints the profile of
// each measured key listed (comma separated, or `all`); DEXETRA_GAS_OPCODES=1 adds the costliest
// opcodes per contract.
import type { Hash } from "viem";

type StructLog = { op: string; gas: number; gasCost: number; depth: number; stack?: string[]; refund?: number };
type Trace = { gas: number; failed: boolean; structLogs: StructLog[] };
type Requester = { request: (args: { method: string; params: unknown[] }) => Promise<unknown> };

export type GasProfile = {
  /** gas per code contract (name or address) and kind */
  byCode: Record<string, Record<string, number>>;
  /** number of cold SLOADs (2,100) and warm ones per code contract */
  sloads: Record<string, { cold: number; warm: number }>;
  /** gas per code contract and opcode (the finest view: which opcodes the "other" column is) */
  byOp: Record<string, Record<string, number>>;
  execution: number;
  refund: number;
};

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);

function kind(op: string, cost: number): string {
  if (op === "SLOAD") return cost >= 2100 ? "sload.cold" : "sload.warm";
  if (op === "SSTORE") return "sstore";
  if (CALLS.has(op)) return "call";
  if (op.startsWith("LOG")) return "log";
  if (op === "KECCAK256") return "keccak";
  if (op === "TLOAD" || op === "TSTORE") return "transient";
  return "other";
}

/** Attribute every opcode's own cost (a call opcode's cost excludes what its callee used). */
export function profileTrace(trace: Trace, names: Record<string, string> = {}): GasProfile {
  const logs = trace.structLogs;
  const byCode: GasProfile["byCode"] = {};
  const sloads: GasProfile["sloads"] = {};
  const byOp: GasProfile["byOp"] = {};
  const codeAt: string[] = ["entry"]; // code per depth (index = depth - 1); depth 1 = the called contract
  const label = (a: string) => names[a.toLowerCase()] ?? a;
  // child gas per call site: filled when a frame ends, read when the caller resumes.
  const childUse: number[] = [];
  const callStart: { index: number; depth: number }[] = [];
  const add = (code: string, k: string, g: number, op: string) => {
    const row = (byCode[code] ??= {});
    row[k] = (row[k] ?? 0) + g;
    const ops = (byOp[code] ??= {});
    ops[op] = (ops[op] ?? 0) + g;
  };
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i]!;
    const next = logs[i + 1];
    const code = codeAt[l.depth - 1] ?? "?";
    if (l.op === "SLOAD") {
      const s = (sloads[code] ??= { cold: 0, warm: 0 });
      if (l.gasCost >= 2100) s.cold++;
      else s.warm++;
    }
    if (next && next.depth > l.depth) {
      // Entered a callee: remember where, and which code runs there.
      const st = l.stack ?? [];
      const target = "0x" + (st[st.length - 2] ?? "0").replace(/^0x/, "").slice(-40).padStart(40, "0");
      codeAt[next.depth - 1] = label(target);
      callStart.push({ index: i, depth: l.depth });
      childUse.push(0);
      continue;
    }
    let cost: number;
    if (next && next.depth === l.depth) cost = l.gas - next.gas;
    else cost = l.gasCost; // last opcode of a frame (or of the transaction)
    if (next && next.depth < l.depth) {
      // The frame ends: charge the call opcode of the caller with its own part.
      const start = callStart.pop();
      const used = childUse.pop() ?? 0;
      const frameTotal = used + cost;
      if (start) {
        const caller = logs[start.index]!;
        const callerCode = codeAt[caller.depth - 1] ?? "?";
        add(code, kind(l.op, cost), cost, l.op);
        const own = caller.gas - next.gas - frameTotal;
        add(callerCode, kind(caller.op, own), own, caller.op);
        if (childUse.length) childUse[childUse.length - 1]! += frameTotal + own;
        continue;
      }
    }
    add(code, kind(l.op, cost), cost, l.op);
    if (childUse.length) childUse[childUse.length - 1]! += cost;
  }
  const last = logs[logs.length - 1];
  return { byCode, sloads, byOp, execution: trace.gas, refund: last?.refund ?? 0 };
}

export async function profileTx(
  client: Requester,
  hash: Hash,
  names: Record<string, string> = {},
): Promise<GasProfile> {
  const trace = (await client.request({ method: "debug_traceTransaction", params: [hash, {}] })) as Trace;
  const lower = Object.fromEntries(Object.entries(names).map(([a, n]) => [a.toLowerCase(), n]));
  return profileTrace(trace, lower);
}

export function formatProfile(title: string, p: GasProfile, gasUsed: bigint): string {
  const kinds = ["sload.cold", "sload.warm", "sstore", "call", "log", "keccak", "transient", "other"];
  const lines = [`gas profile ${title}: gasUsed ${gasUsed}, execution ${p.execution}, refund ${p.refund}`];
  lines.push(
    ["code".padEnd(26), ...kinds.map((k) => k.padStart(10)), "total".padStart(9), "  cold/warm SLOAD"].join(""),
  );
  for (const [code, row] of Object.entries(p.byCode).sort((a, b) => total(b[1]) - total(a[1]))) {
    const s = p.sloads[code];
    lines.push(
      [
        code.slice(0, 25).padEnd(26),
        ...kinds.map((k) => String(row[k] ?? 0).padStart(10)),
        String(total(row)).padStart(9),
        s ? `  ${s.cold}/${s.warm}` : "",
      ].join(""),
    );
  }
  if (process.env.DEXETRA_GAS_OPCODES) {
    for (const [code, ops] of Object.entries(p.byOp)) {
      const top = Object.entries(ops)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 16)
        .map(([op, g]) => `${op} ${g}`);
      lines.push(`  ${code}: ${top.join(", ")}`);
    }
  }
  return lines.join("\n");
}

function total(row: Record<string, number>): number {
  return Object.values(row).reduce((a, b) => a + b, 0);
}

/** True when the bench key should be profiled (`DEXETRA_GAS_PROFILE` = comma list or `all`). */
export function wantsProfile(key: string): boolean {
  const v = process.env.DEXETRA_GAS_PROFILE;
  if (!v) return false;
  return v === "all" || v.split(",").includes(key);
}
