// Merkle-claim migration: the paused old vault's snapshot becomes a StandardMerkleTree of
// (user, balance); a MigrationCreditor credits each user once on the new vault through
// creditExternal (the user or a keeper claims: gasless for the user). Totals must reconcile to the
// snapshot to the last micro-USDC. With --claim-all the money follows the balances: the retired
// vault moves its USDC to the new vault (transferToSuccessor → receiveBacking), and each user's
// token-backed part of the migrated balance (snapshot balance - snapshot external credit) stops
// counting as external credit (convertExternalCredit, paged). What stays external is at most what
// the spokes still lock.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress } from "viem";
import type { Address, Hex } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import { accessControlAbi, erc20Abi, roleId } from "../chain/abis.ts";
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

/** One user's token-backed part of the migrated balance: converted once the old vault's USDC arrived. */
export type Backed = { user: Address; amount: bigint };

/** Users per convertExternalCredit transaction (about 40k gas each). */
export const BACKING_PAGE = 50;

/**
 * The part of each migrated balance the old vault's USDC backs: balance minus the external credit
 * a spoke still locks for the user (never negative), smallest first, capped in total by the USDC
 * the old vault held at the snapshot. The cap binds when spoke-credited users lost to hub users:
 * those gains sit in the spoke's lock, not in the hub's USDC, so the largest account keeps that
 * part as external (spoke-backed) credit. What the USDC does not back (insurance, fee pools,
 * maker escrow, net of deficits) moves too and stays unallocated backing on the new vault.
 */
export function backedAmounts(snap: Snapshot): Backed[] {
  const want: Backed[] = [];
  for (const u of snap.users) {
    const b = BigInt(u.balance) - BigInt(u.externalCredit);
    if (b > 0n) want.push({ user: getAddress(u.user), amount: b });
  }
  want.sort((x, y) => (x.amount !== y.amount ? (x.amount < y.amount ? -1 : 1) : x.user < y.user ? -1 : 1));
  let left = BigInt(snap.totals.vaultUsdc);
  const out: Backed[] = [];
  for (const w of want) {
    const amount = w.amount < left ? w.amount : left;
    if (amount === 0n) break;
    out.push({ user: w.user, amount });
    left -= amount;
  }
  return out;
}

export function migrateRunbook(p: {
  newVault: Address;
  /** The retired (paused) vault whose USDC moves to the new vault after the claims. */
  oldVault: Address;
  usdc: Address;
  backed: Backed[];
  claims: ClaimsFile;
  existingCreditor?: Address;
  claimAll: boolean;
  recordStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
  reconcileStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
  backingStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
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
    steps.push(...backingSteps(p));
  }
  return { name: "migrate", params: { newVault: p.newVault, root: p.claims.root, claimAll: p.claimAll }, steps };
}

/** After the claims: move the old vault's USDC, convert the token-backed parts page by page, reconcile. */
function backingSteps(p: {
  newVault: Address;
  oldVault: Address;
  usdc: Address;
  backed: Backed[];
  backingStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
}): Step[] {
  const vaultAbi = readArtifact("CoreVault").abi;
  const held = (ctx: StepContext, a: Address) =>
    ctx.client.readContract({
      address: p.usdc,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [a],
    }) as Promise<bigint>;
  const backedOf = (ctx: StepContext, u: Address) =>
    ctx.client.readContract({
      address: p.newVault,
      abi: vaultAbi,
      functionName: "backedCreditOf",
      args: [u],
    }) as Promise<bigint>;
  const steps: Step[] = [
    {
      kind: "tx",
      id: "move:old-vault-usdc",
      reason: "the retired old vault hands all its USDC (balances + pools) to the new vault as backing",
      sender: "admin",
      build: async (ctx) => ({
        kind: "call",
        to: p.oldVault,
        abi: vaultAbi,
        functionName: "transferToSuccessor",
        args: [p.newVault, await held(ctx, p.oldVault)],
      }),
      // Done once the old vault holds nothing (a move is all-or-nothing).
      isDone: async (ctx) => (await held(ctx, p.oldVault)) === 0n,
    },
  ];
  for (let i = 0; i < p.backed.length; i += BACKING_PAGE) {
    const page = p.backed.slice(i, i + BACKING_PAGE);
    const sum = page.reduce((a, x) => a + x.amount, 0n);
    steps.push(
      callStep({
        id: `back:${i / BACKING_PAGE}`,
        reason: `${page.length} migrated balance(s), ${sum} micro-USDC, become token-backed (no longer spoke credit)`,
        sender: "admin",
        to: p.newVault,
        abi: vaultAbi,
        functionName: "convertExternalCredit",
        args: [page.map((x) => x.user), page.map((x) => x.amount)],
        // A page is one transaction: converted for one user means converted for all of it.
        isDone: async (ctx) =>
          (await Promise.all(page.map(async (x) => (await backedOf(ctx, x.user)) >= x.amount))).every(Boolean),
      }),
    );
  }
  steps.push({
    kind: "local",
    id: "reconcile:backing",
    reason: "old vault USDC 0, every token-backed part converted, the rest unallocated on the new vault",
    always: true,
    run: p.backingStep,
  });
  return steps;
}
