// Human-readable rendering of transactions and values for plans, logs and Safe batch descriptions.
import { encodeDeployData, encodeFunctionData, keccak256 } from "viem";
import type { Hex } from "viem";
import type { TxRequest } from "./types.ts";

export function fmtValue(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(fmtValue).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${fmtValue(x)}`)
      .join(", ")}}`;
  }
  return String(v);
}

export function txData(req: TxRequest): Hex {
  if (req.kind === "deploy")
    return encodeDeployData({ abi: req.abi, bytecode: req.bytecode, args: req.args as unknown[] });
  return encodeFunctionData({ abi: req.abi, functionName: req.functionName, args: req.args as unknown[] });
}

/** Identifies what a journaled transaction was, so a changed step is refused on resume. */
export function fingerprint(req: TxRequest): string {
  return keccak256(`${req.kind === "deploy" ? "0x" : req.to}${txData(req).slice(2)}` as Hex);
}

export function describeTx(req: TxRequest): { target: string; function: string; args: string } {
  if (req.kind === "deploy")
    return { target: `new ${req.artifact}`, function: "constructor", args: fmtValue(req.args) };
  return { target: req.to, function: req.functionName, args: fmtValue(req.args) };
}

/** Stable JSON (sorted keys, bigint as string) for hashing run parameters. */
export function stableStringify(v: unknown): string {
  if (typeof v === "bigint") return JSON.stringify(v.toString());
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}
