// Read, validate and write deployments/<network>.json. Writes are atomic (temp file + fsync +
// rename) so a killed CLI never leaves a half-written record; only the CLI calls writeRecord.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { DexetraError, ErrorCodes } from "./errors.ts";
import { DeploymentRecordSchema, emptyRecord } from "./schema.ts";
import type { DeploymentRecord } from "./schema.ts";

export function deploymentsDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.DEXETRA_DEPLOYMENTS_DIR ?? join(root, "deployments");
}

export function recordPath(root: string, network: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(network)) {
    throw new DexetraError(ErrorCodes.BAD_FLAG, `--network "${network}" is not a valid network name`);
  }
  return join(deploymentsDir(root, env), `${network}.json`);
}

export function parseRecord(raw: unknown, source: string): DeploymentRecord {
  const res = DeploymentRecordSchema.safeParse(raw);
  if (!res.success) {
    throw new DexetraError(
      ErrorCodes.RECORD_INVALID,
      `${source} is not a valid deployment record:\n${z.prettifyError(res.error)}`,
      {
        cause: res.error,
        hint: "The record is written only by the dexetra CLI; restore it from version control rather than editing by hand.",
      },
    );
  }
  return res.data;
}

/** Read and validate a record; `expect` pins the network name and (when known) the chain id. */
export function readRecord(file: string, expect: { network?: string; chainId?: number } = {}): DeploymentRecord {
  if (!existsSync(file)) {
    throw new DexetraError(ErrorCodes.RECORD_MISSING, `no deployment record at ${file}`, {
      hint: "Run `dexetra deploy --network <name>` first, or pass the right --network.",
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new DexetraError(ErrorCodes.RECORD_INVALID, `${file} is not JSON`, { cause });
  }
  const rec = parseRecord(raw, file);
  assertRecordMatches(rec, file, expect);
  return rec;
}

export function assertRecordMatches(
  rec: DeploymentRecord,
  file: string,
  expect: { network?: string; chainId?: number },
): void {
  if (expect.network !== undefined && rec.network !== expect.network) {
    throw new DexetraError(
      ErrorCodes.RECORD_CHAIN_MISMATCH,
      `${file} is the record of network "${rec.network}", not "${expect.network}"`,
    );
  }
  if (expect.chainId !== undefined && rec.chainId !== expect.chainId) {
    throw new DexetraError(
      ErrorCodes.RECORD_CHAIN_MISMATCH,
      `${file} belongs to chain ${rec.chainId}, but --network ${expect.network ?? rec.network} is chain ${expect.chainId}`,
      { hint: "Check --network / DEXETRA_RPC_URL: the record and the RPC endpoint disagree." },
    );
  }
}

export function readOrCreateRecord(file: string, network: string, chainId: number): DeploymentRecord {
  if (!existsSync(file)) return emptyRecord(network, chainId);
  return readRecord(file, { network, chainId });
}

/** Serialize deterministically (stable key order from the schema) and replace the file atomically. */
export function writeRecord(file: string, rec: DeploymentRecord, now: Date = new Date()): DeploymentRecord {
  const next = parseRecord({ ...rec, updatedAt: now.toISOString() }, file);
  writeFileAtomic(file, JSON.stringify(next, null, 2) + "\n");
  return next;
}

export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
