// The spec's preferred path: upgrade CoreVault in place through its UUPS proxy. Before any
// transaction: the new build's ERC-7201 layout must be an append-only extension of the deployed
// one (the committed dump), every ICoreVault selector integrations call must still exist, and the
// proxy must run the implementation the record says. Then: new risk module, new implementation,
// upgradeToAndCall, record, validation.
import { getAddress, toFunctionSelector } from "viem";
import type { AbiFunction, Address, Hex } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import { ERC1967_IMPLEMENTATION_SLOT, vaultWiringAbi } from "../chain/abis.ts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import type { Runbook, Step, StepContext } from "./types.ts";
import { callStep, deployStep, out } from "./steps.ts";

export type LayoutMember = { label: string; slot: string; offset: number; type: string };
export type LayoutDump = { namespace: string; structs: Record<string, LayoutMember[]> };

export async function implementationOf(ctx: { client: StepContext["client"] }, proxy: Address): Promise<Address> {
  const raw = (await ctx.client.getStorageAt({ address: proxy, slot: ERC1967_IMPLEMENTATION_SLOT })) as Hex;
  return getAddress(`0x${raw.slice(-40)}`);
}

/** Selectors of `iface` missing from `artifact` (a removed or re-signatured function). */
export function missingSelectors(iface: string, artifact: string): string[] {
  const sel = (name: string) =>
    new Map(
      (readArtifact(name).abi.filter((i) => i.type === "function") as AbiFunction[]).map((f) => [
        toFunctionSelector(f),
        `${f.name}(${f.inputs.map((i) => i.type).join(",")})`,
      ]),
    );
  const have = sel(artifact);
  return [...sel(iface)].filter(([s]) => !have.has(s)).map(([, sig]) => sig);
}

export function upgradeRunbook(p: {
  proxy: Address;
  artifact: string;
  expectedImplementation: Address;
  layoutViolations: string[];
  recordStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
  validateStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
}): Runbook {
  const steps: Step[] = [
    {
      kind: "local",
      id: "preflight",
      reason: "append-only storage layout, ICoreVault selectors kept, proxy runs the recorded implementation",
      always: true,
      run: async (ctx) => {
        if (p.layoutViolations.length) {
          throw new DexetraError(
            ErrorCodes.STORAGE_LAYOUT,
            `refusing the upgrade: the storage layout is not append-only:\n  - ${p.layoutViolations.join("\n  - ")}`,
            {
              hint: "Only append fields to the ERC-7201 structs; retired fields become __unused_n, never removed or moved.",
            },
          );
        }
        const missing = missingSelectors("ICoreVault", p.artifact);
        if (missing.length) {
          throw new DexetraError(
            ErrorCodes.STORAGE_LAYOUT,
            `refusing the upgrade: ${p.artifact} drops ICoreVault functions: ${missing.join(", ")}`,
          );
        }
        const impl = await implementationOf(ctx, p.proxy);
        const ours = ctx.outputs.implementation;
        if (impl !== getAddress(p.expectedImplementation) && !(ours && impl === getAddress(ours))) {
          throw new DexetraError(
            ErrorCodes.PREFLIGHT,
            `the proxy runs ${impl}, the record says ${p.expectedImplementation}: the record is stale or someone upgraded by hand`,
            {
              hint: "Run `dexetra check` and reconcile the record before upgrading.",
            },
          );
        }
      },
    },
    deployStep({
      id: "deploy:VaultRiskModule",
      artifact: "VaultRiskModule",
      output: "riskModule",
      reason: "risk module of the new implementation",
    }),
    deployStep({
      id: `deploy:${p.artifact}`,
      artifact: p.artifact,
      output: "implementation",
      reason: "new CoreVault implementation",
      args: (ctx) => [out("riskModule")(ctx)],
    }),
    callStep({
      id: "upgradeToAndCall",
      reason: "switch the proxy to the new implementation (state stays in the proxy)",
      sender: "admin",
      to: p.proxy,
      abi: vaultWiringAbi,
      functionName: "upgradeToAndCall",
      args: (ctx) => [out("implementation")(ctx), "0x"],
      isDone: async (ctx) => (await implementationOf(ctx, p.proxy)) === out("implementation")(ctx),
    }),
    {
      kind: "local",
      id: "record",
      reason: "record the new implementation (previous generation kept) and the deployed layout",
      run: p.recordStep,
    },
    {
      kind: "local",
      id: "validate",
      reason: "the spec's post-deployment validation",
      always: true,
      run: p.validateStep,
    },
  ];
  return {
    name: "upgrade-corevault",
    params: { proxy: p.proxy, artifact: p.artifact, from: p.expectedImplementation },
    steps,
  };
}
