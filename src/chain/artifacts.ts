// Contract artifacts from Hardhat's build output (artifacts/contracts/**/<Name>.json), with
// library linking. The ops tool deploys from these; it never embeds bytecode of its own.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Abi, Address, Hex } from "viem";
import { DexetraError, ErrorCodes } from "../config/errors.ts";

export type Artifact = {
  contractName: string;
  sourceName: string;
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
  linkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
  buildInfoId?: string;
};

const cache = new Map<string, Artifact>();

function findArtifactFile(dir: string, name: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      const hit = findArtifactFile(p, name);
      if (hit) return hit;
    } else if (entry.name === `${name}.json`) return p;
  }
  return undefined;
}

export function artifactsRoot(root: string = process.cwd()): string {
  return process.env.DEXETRA_ARTIFACTS_DIR ?? join(root, "artifacts");
}

export function readArtifact(name: string, root?: string): Artifact {
  const key = `${root ?? ""}:${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const file = findArtifactFile(join(artifactsRoot(root), "contracts"), name);
  if (!file) {
    throw new DexetraError(ErrorCodes.INTERNAL, `no artifact for ${name}`, { hint: "Run `npx hardhat build` first." });
  }
  const art = JSON.parse(readFileSync(file, "utf8")) as Artifact;
  cache.set(key, art);
  return art;
}

export function hasArtifact(name: string, root?: string): boolean {
  return findArtifactFile(join(artifactsRoot(root), "contracts"), name) !== undefined;
}

/** Replace library placeholders; every library the artifact needs must be given. */
export function linkBytecode(art: Artifact, libraries: Record<string, Address> = {}): Hex {
  let code = art.bytecode.slice(2);
  for (const [source, libs] of Object.entries(art.linkReferences ?? {})) {
    for (const [lib, refs] of Object.entries(libs)) {
      const addr = libraries[lib] ?? libraries[`${source}:${lib}`];
      if (!addr) {
        throw new DexetraError(ErrorCodes.PREFLIGHT, `${art.contractName} needs library ${lib} and none was given`);
      }
      for (const { start, length } of refs) {
        code = code.slice(0, start * 2) + addr.slice(2).toLowerCase() + code.slice((start + length) * 2);
      }
    }
  }
  return `0x${code}` as Hex;
}
