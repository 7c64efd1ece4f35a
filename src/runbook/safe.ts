// Safe Transaction Builder batch files: the format the Safe{Wallet} Transaction Builder imports,
// with its checksum (keccak256 over a key-sorted serialization with meta.name nulled and without
// meta.checksum, as in safe-global/safe-react-apps apps/tx-builder/src/lib/checksum.ts).
import { readFileSync } from "node:fs";
import { getAddress, keccak256, stringToHex } from "viem";
import type { Address, Hex } from "viem";
import { writeFileAtomic } from "../config/record.ts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";

export type SafeTransaction = {
  to: string;
  value: string;
  data: string;
  contractMethod: null;
  contractInputsValues: null;
};

export type SafeBatch = {
  version: "1.0";
  chainId: string;
  createdAt: number;
  meta: {
    name: string;
    description: string;
    txBuilderVersion: string;
    createdFromSafeAddress: string;
    createdFromOwnerAddress: string;
    checksum?: string;
  };
  transactions: SafeTransaction[];
};

const replacer = (_k: string, v: unknown): unknown => (v === undefined ? null : v);

/** The tx-builder's serialization: sorted keys listed first, then each value followed by a comma. */
export function serializeForChecksum(json: unknown): string {
  if (Array.isArray(json)) return `[${json.map((el) => serializeForChecksum(el)).join(",")}]`;
  if (typeof json === "object" && json !== null) {
    const obj = json as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    let acc = `{${JSON.stringify(keys, replacer)}`;
    for (const k of keys) acc += `${serializeForChecksum(obj[k])},`;
    return `${acc}}`;
  }
  return `${JSON.stringify(json, replacer)}`;
}

export function batchChecksum(batch: SafeBatch): Hex {
  const { checksum: _omit, ...meta } = batch.meta;
  return keccak256(stringToHex(serializeForChecksum({ ...batch, meta: { ...meta, name: null } })));
}

export function buildSafeBatch(input: {
  chainId: number;
  safe: Address;
  owner?: Address;
  name: string;
  description: string;
  txs: { to: Address; data: Hex; value?: bigint }[];
  createdAt?: number;
}): SafeBatch {
  const batch: SafeBatch = {
    version: "1.0",
    chainId: String(input.chainId),
    createdAt: input.createdAt ?? Date.now(),
    meta: {
      name: input.name,
      description: input.description,
      txBuilderVersion: "1.18.0",
      createdFromSafeAddress: getAddress(input.safe),
      createdFromOwnerAddress: input.owner ? getAddress(input.owner) : "",
    },
    transactions: input.txs.map((t) => ({
      to: getAddress(t.to),
      value: (t.value ?? 0n).toString(),
      data: t.data,
      contractMethod: null,
      contractInputsValues: null,
    })),
  };
  batch.meta.checksum = batchChecksum(batch);
  return batch;
}

export function validateSafeBatch(batch: SafeBatch): boolean {
  return batch.meta.checksum !== undefined && batchChecksum(batch) === batch.meta.checksum;
}

export function writeSafeBatch(file: string, batch: SafeBatch): void {
  writeFileAtomic(file, JSON.stringify(batch, null, 2) + "\n");
}

export function readSafeBatch(file: string): SafeBatch {
  const batch = JSON.parse(readFileSync(file, "utf8")) as SafeBatch;
  if (!validateSafeBatch(batch)) {
    throw new DexetraError(ErrorCodes.SAFE_MISMATCH, `${file}: checksum does not match its contents`);
  }
  return batch;
}
