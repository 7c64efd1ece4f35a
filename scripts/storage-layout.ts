// Storage-layout dump and append-only check for CoreVault's ERC-7201 namespace (`dexetra.vault`).
// solc describes namespaced structs only through a state variable, so the build contains
// VaultStorageLayoutProbe (never deployed). `node scripts/storage-layout.ts write` refreshes the
// committed dump after an intended append; `check` (and test/ts/vault/storageLayout.test.ts) fail
// when the build is not an append-only extension of storage-layouts/CoreVault.json.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export interface Member {
  label: string;
  slot: string;
  offset: number;
  type: string;
}
export interface LayoutDump {
  namespace: string;
  /** struct type label -> members in declaration order; "root" is the namespace struct itself */
  structs: Record<string, Member[]>;
}

const root = join(import.meta.dirname, "..");
export const DUMP_PATH = join(root, "storage-layouts", "CoreVault.json");

interface SolcType {
  label: string;
  members?: { label: string; slot: string; offset: number; type: string }[];
}

/** Read the namespace layout from the build, through a probe contract's storageLayout. */
export function probeLayout(artifact: string, contractName: string): LayoutDump {
  const a = JSON.parse(readFileSync(join(root, "artifacts", artifact), "utf8")) as {
    buildInfoId: string;
    inputSourceName: string;
  };
  const out = JSON.parse(readFileSync(join(root, "artifacts/build-info", `${a.buildInfoId}.output.json`), "utf8")) as {
    output: {
      contracts: Record<
        string,
        Record<string, { storageLayout: { storage: { type: string }[]; types: Record<string, SolcType> } }>
      >;
    };
  };
  const layout = out.output.contracts[a.inputSourceName]?.[contractName]?.storageLayout;
  const rootVar = layout?.storage[0];
  if (!layout || !rootVar) throw new Error(`storage-layout: no storageLayout for ${contractName}`);
  const label = (t: string) => layout.types[t]?.label ?? t;
  const structs: Record<string, Member[]> = {};
  for (const [id, t] of Object.entries(layout.types)) {
    if (!t.members) continue;
    const members = t.members.map((m) => ({ label: m.label, slot: m.slot, offset: m.offset, type: label(m.type) }));
    structs[id === rootVar.type ? "root" : t.label] = members;
  }
  return { namespace: "erc7201:dexetra.vault", structs };
}

/** Violations of append-only: every old member keeps label, slot, offset and type; new ones only after. */
export function appendOnlyViolations(prev: LayoutDump, next: LayoutDump): string[] {
  const out: string[] = [];
  if (prev.namespace !== next.namespace) out.push(`namespace changed: ${prev.namespace} -> ${next.namespace}`);
  for (const [name, oldMembers] of Object.entries(prev.structs)) {
    const newMembers = next.structs[name];
    if (!newMembers) {
      out.push(`${name}: struct removed or renamed`);
      continue;
    }
    if (newMembers.length < oldMembers.length) out.push(`${name}: members removed`);
    oldMembers.forEach((o, i) => {
      const n = newMembers[i];
      if (!n) return;
      for (const k of ["label", "slot", "offset", "type"] as const) {
        if (o[k] !== n[k]) out.push(`${name}.${o.label}: ${k} ${String(o[k])} -> ${String(n[k])}`);
      }
    });
  }
  return out;
}

export const CURRENT = {
  artifact: "contracts/vault/storage/VaultStorageLayoutProbe.sol/VaultStorageLayoutProbe.json",
  name: "VaultStorageLayoutProbe",
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmd = process.argv[2] ?? "check";
  const current = probeLayout(CURRENT.artifact, CURRENT.name);
  if (cmd === "write") {
    mkdirSync(join(root, "storage-layouts"), { recursive: true });
    writeFileSync(DUMP_PATH, JSON.stringify(current, null, 2) + "\n");
    process.stdout.write(`wrote ${DUMP_PATH}\n`);
  } else {
    const prev = JSON.parse(readFileSync(DUMP_PATH, "utf8")) as LayoutDump;
    const v = appendOnlyViolations(prev, current);
    if (v.length) {
      process.stderr.write(`storage layout is not append-only:\n  ${v.join("\n  ")}\n`);
      process.exit(1);
    }
    process.stdout.write("storage layout: append-only vs storage-layouts/CoreVault.json\n");
  }
}
