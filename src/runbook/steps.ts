// Step builders shared by the runbooks: deploy from an artifact, call a function, grant a role.
import { getAddress } from "viem";
import type { Abi, Address } from "viem";
import { readArtifact, linkBytecode } from "../chain/artifacts.ts";
import { accessControlAbi, roleId } from "../chain/abis.ts";
import type { RoleName } from "../chain/abis.ts";
import type { StepContext, TxStep } from "./types.ts";

type Lazy<T> = T | ((ctx: StepContext) => T);
const get = <T>(v: Lazy<T>, ctx: StepContext): T => (typeof v === "function" ? (v as (c: StepContext) => T)(ctx) : v);

/** An address output of an earlier step (or a fixed address). */
export const out =
  (key: string) =>
  (ctx: StepContext): Address => {
    const v = ctx.outputs[key];
    if (!v) throw new Error(`output ${key} is not available yet`);
    return getAddress(v);
  };

export async function hasCode(ctx: StepContext, a: Address | undefined): Promise<boolean> {
  if (!a) return false;
  const code = await ctx.client.getCode({ address: a });
  return !!code && code !== "0x";
}

export function deployStep(p: {
  id: string;
  artifact: string;
  output: string;
  reason: string;
  args?: Lazy<readonly unknown[]>;
  libraries?: Record<string, Address>;
  existing?: (ctx: StepContext) => Promise<Address | undefined>;
}): TxStep {
  return {
    kind: "tx",
    id: p.id,
    reason: p.reason,
    sender: "signer",
    output: p.output,
    build: (ctx) => {
      const art = readArtifact(p.artifact);
      return {
        kind: "deploy",
        artifact: p.artifact,
        abi: art.abi,
        bytecode: linkBytecode(art, p.libraries),
        args: get(p.args ?? [], ctx),
      };
    },
    isDone: (ctx, candidate) => hasCode(ctx, candidate),
    ...(p.existing ? { existing: p.existing } : {}),
  };
}

export function callStep(p: {
  id: string;
  reason: string;
  sender: "signer" | "admin";
  to: Lazy<Address>;
  abi: Abi;
  functionName: string;
  args: Lazy<readonly unknown[]>;
  isDone: (ctx: StepContext) => Promise<boolean>;
}): TxStep {
  return {
    kind: "tx",
    id: p.id,
    reason: p.reason,
    sender: p.sender,
    build: (ctx) => ({
      kind: "call",
      to: get(p.to, ctx),
      abi: p.abi,
      functionName: p.functionName,
      args: get(p.args, ctx),
    }),
    isDone: p.isDone,
  };
}

export function grantStep(p: {
  vault: Lazy<Address>;
  role: RoleName;
  account: Address;
  reason: string;
  sender: "signer" | "admin";
  prefix?: string;
}): TxStep {
  const read = (ctx: StepContext) =>
    ctx.client.readContract({
      address: get(p.vault, ctx),
      abi: accessControlAbi,
      functionName: "hasRole",
      args: [roleId(p.role), p.account],
    });
  return callStep({
    id: `${p.prefix ?? "grant"}:${p.role}:${p.account}`,
    reason: p.reason,
    sender: p.sender,
    to: p.vault,
    abi: accessControlAbi,
    functionName: "grantRole",
    args: [roleId(p.role), p.account],
    isDone: async (ctx) => (await read(ctx)) as boolean,
  });
}
