// The gas profiler charges each opcode to the code that ran it; a call opcode keeps only its own
// cost (what the callee used is the callee's).
import { test } from "node:test";
import assert from "node:assert/strict";
import { profileTrace } from "../../../src/bench/profile.ts";

const target = "0x00000000000000000000000000000000000000aa";

test("a call's own cost excludes its callee's gas; SLOADs are split cold/warm per code", () => {
  const p = profileTrace(
    {
      gas: 7_900,
      failed: false,
      structLogs: [
        { op: "SLOAD", gas: 100_000, gasCost: 2_100, depth: 1 },
        { op: "CALL", gas: 97_900, gasCost: 60_000, depth: 1, stack: ["0x0", "0x0", "0xaa", "0xea60"] },
        { op: "SLOAD", gas: 60_000, gasCost: 100, depth: 2 },
        { op: "LOG1", gas: 59_900, gasCost: 1_000, depth: 2 },
        { op: "STOP", gas: 58_900, gasCost: 0, depth: 2 },
        { op: "SSTORE", gas: 95_000, gasCost: 2_900, depth: 1 },
        { op: "STOP", gas: 92_100, gasCost: 0, depth: 1 },
      ],
    },
    { [target]: "Callee" },
  );
  assert.deepEqual(p.byCode.entry, { "sload.cold": 2_100, call: 1_800, sstore: 2_900, other: 0 });
  assert.deepEqual(p.byCode.Callee, { "sload.warm": 100, log: 1_000, other: 0 });
  assert.deepEqual(p.sloads.entry, { cold: 1, warm: 0 });
  assert.deepEqual(p.sloads.Callee, { cold: 0, warm: 1 });
});
