import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  CURRENT,
  DUMP_PATH,
  appendOnlyViolations,
  probeLayout,
  type LayoutDump,
} from "../../../scripts/storage-layout.ts";

const committed = JSON.parse(readFileSync(DUMP_PATH, "utf8")) as LayoutDump;
const clone = (d: LayoutDump): LayoutDump => JSON.parse(JSON.stringify(d)) as LayoutDump;
const rootOf = (d: LayoutDump) => {
  const r = d.structs.root;
  assert.ok(r, "root struct present");
  return r;
};

describe("CoreVault storage layout (ERC-7201 dexetra.vault)", () => {
  it("the build is an append-only extension of the committed dump", () => {
    const current = probeLayout(CURRENT.artifact, CURRENT.name);
    assert.deepEqual(appendOnlyViolations(committed, current), []);
    assert.ok(
      rootOf(current).some((m) => m.label === "usersWithPositions"),
      "index fields are in the namespace",
    );
  });

  it("accepts the v2 mock that appends one field", () => {
    const v2 = probeLayout(
      "contracts/test-support/CoreVaultV2Mock.sol/VaultStorageV2LayoutProbe.json",
      "VaultStorageV2LayoutProbe",
    );
    assert.deepEqual(appendOnlyViolations(committed, v2), []);
    assert.equal(rootOf(v2).length, rootOf(committed).length + 1);
    assert.equal(rootOf(v2).at(-1)?.label, "v2Field");
  });

  it("fails when a field is inserted in the middle", () => {
    const bad = clone(committed);
    const r = rootOf(bad);
    r.splice(3, 0, { label: "inserted", slot: "1", offset: 0, type: "uint256" });
    for (let i = 4; i < r.length; i++) {
      const m = r[i];
      if (m) m.slot = String(Number(m.slot) + 1);
    }
    assert.ok(appendOnlyViolations(committed, bad).length > 0);
  });

  it("fails when two fields are swapped, retyped, or removed", () => {
    const swapped = clone(committed);
    const r = rootOf(swapped);
    const [a, b] = [r[9], r[10]];
    assert.ok(a && b);
    [a.label, b.label] = [b.label, a.label];
    assert.ok(appendOnlyViolations(committed, swapped).some((v) => v.includes("label")));

    const retyped = clone(committed);
    const pos = retyped.structs["struct VaultStorage.Position"];
    assert.ok(pos?.[0]);
    pos[0].type = "int128";
    assert.ok(appendOnlyViolations(committed, retyped).some((v) => v.includes("type")));

    const removed = clone(committed);
    rootOf(removed).pop();
    assert.ok(appendOnlyViolations(committed, removed).some((v) => v.includes("removed")));
  });
});
