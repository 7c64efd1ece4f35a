// Merkle-claim migration: the paused old vault's snapshot becomes a StandardMerkleTree of
// (user, balance); a MigrationCreditor credits each user once on the new vault through
// creditExternal (the user or a keeper claims: gasless for the user). Totals must reconcile to the
// snapshot to the last micro-USDC.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress } from "viem";
import type { Address, Hex } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import { accessControlAbi, roleId } from "../chain/abis.ts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import type { Snapshot } from "./snapshot.ts";
import type { Runbook, Step, StepContext } from "./types.ts";
import { callStep, deployStep, hasCode, out } from "./steps.ts";

export type ClaimsFile = {
  kind: "dexetra.migration-claims";
  vault: Address;
  creditor?: Address;
  root: Hex;
  total: string;
  snapshotChecksum: Hex;
  claims: { user: Address; amount: string; proof: Hex[] }[];
};

export function buildClaims(snap: Snapshot): ClaimsFile {
  const open = snap.users.filter((u) => u.positions.length > 0 || u.orders.length > 0);
  if (open.length) {
    throw new DexetraError(
      ErrorCodes.RECONCILE,
      `${open.length} user(s) still hold positions or resting orders in the snapshot (e.g. ${open[0]!.user}): credits cannot migrate them`,
      { hint: "Settle or close the markets on the old vault, pause it, and snapshot again." },
    );
  }
  if (!snap.paused) {
    throw new DexetraError(
      ErrorCodes.RECONCILE,
      "the snapshot was taken while the vault was not paused: balances were not final",
      {
        hint: "Pause the old vault (redeploy-corevault does) and snapshot again.",
      },
    );
  }
  const values = snap.users.filter((u) => BigInt(u.balance) > 0n).map((u) => [u.user, u.balance] as [string, string]);
  if (values.length === 0) throw new DexetraError(ErrorCodes.RECONCILE, "nothing to migrate: every balance is zero");
  const tree = StandardMerkleTree.of(values, ["address", "uint256"]);
  const total = values.reduce((s, [, a]) => s + BigInt(a), 0n);
  if (total.toString() !== snap.totals.balance) {
    throw new DexetraError(
      ErrorCodes.RECONCILE,
      `claims total ${total} differs from the snapshot's balance total ${snap.totals.balance}`,
    );
  }
  const claims = [...tree.entries()].map(([i, [user, amount]]) => ({
    user: getAddress(user),
    amount,
    proof: tree.getProof(i) as Hex[],
  }));
  return {
    kind: "dexetra.migration-claims",
    vault: snap.vault,
    root: tree.root as Hex,
    total: total.toString(),
    snapshotChecksum: snap.checksum,
    claims,
  };
}

export function migrateRunbook(p: {
  newVault: Address;
  claims: ClaimsFile;
  existingCreditor?: Address;
  claimAll: boolean;
  recordStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
  reconcileStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
}): Runbook {
  const abi = readArtifact("MigrationCreditor").abi;
  const creditor = out("creditor");
  const claimed = (ctx: StepContext, u: Address) =>
    ctx.client.readContract({ address: creditor(ctx), abi, functionName: "claimed", args: [u] }) as Promise<boolean>;
  const steps: Step[] = [
    deployStep({
      id: "deploy:MigrationCreditor",
      artifact: "MigrationCreditor",
      output: "creditor",
      reason: `Merkle credits for ${p.claims.claims.length} user(s), total ${p.claims.total} micro-USDC`,
      args: [p.newVault, p.claims.root, BigInt(p.claims.total)],
      existing: async (ctx) =>
        p.existingCreditor && (await hasCode(ctx, p.existingCreditor)) ? p.existingCreditor : undefined,
    }),
    callStep({
      id: "grant:EXTERNAL_CREDITOR_ROLE:creditor",
      reason: "the creditor credits claims on the new vault",
      sender: "admin",
      to: p.newVault,
      abi: accessControlAbi,
      functionName: "grantRole",
      args: (ctx) => [roleId("EXTERNAL_CREDITOR_ROLE"), creditor(ctx)],
      isDone: async (ctx) =>
        (await ctx.client.readContract({
          address: p.newVault,
          abi: accessControlAbi,
          functionName: "hasRole",
          args: [roleId("EXTERNAL_CREDITOR_ROLE"), creditor(ctx)],
        })) as boolean,
    }),
    { kind: "local", id: "record", reason: "record the creditor, root and claims file", run: p.recordStep },
  ];
  if (p.claimAll) {
    for (const c of p.claims.claims) {
      steps.push(
        callStep({
          id: `claim:${c.user}`,
          reason: `credit ${c.amount} micro-USDC to ${c.user} (keeper claim)`,
          sender: "signer",
          to: creditor,
          abi,
          functionName: "claim",
          args: [c.user, BigInt(c.amount), c.proof],
          isDone: (ctx) => claimed(ctx, c.user),
        }),
      );
    }
    steps.push({
      kind: "local",
      id: "reconcile",
      reason: "claimed totals equal the snapshot to the micro-USDC",
      always: true,
      run: p.reconcileStep,
    });
  }
  return { name: "migrate", params: { newVault: p.newVault, root: p.claims.root, claimAll: p.claimAll }, steps };
}
