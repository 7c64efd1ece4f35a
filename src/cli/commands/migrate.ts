// `dexetra migrate`: the spec's two funds strategies after a redeploy.
//   --strategy dual-vault     legacy markets stay on the old vault, new ones on the new vault:
//                             verifies the record and the books agree, records the strategy.
//   --strategy merkle-claim   from a snapshot of the paused old vault: MigrationCreditor with the
//                             Merkle root, EXTERNAL_CREDITOR_ROLE on the new vault, optional keeper
//                             claims for everyone (--claim-all), totals reconciled exactly; with
//                             --claim-all the old vault's USDC then moves to the new vault and the
//                             token-backed part of each migrated balance stops counting as external.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Option } from "commander";
import { getAddress } from "viem";
import type { Address, Hex } from "viem";
import { readArtifact } from "../../chain/artifacts.ts";
import { erc20Abi, orderBookAbi } from "../../chain/abis.ts";
import { DexetraError, ErrorCodes } from "../../config/errors.ts";
import { readRecord, writeFileAtomic } from "../../config/record.ts";
import { backedAmounts, buildClaims, migrateRunbook } from "../../runbook/migrate.ts";
import type { ClaimsFile } from "../../runbook/migrate.ts";
import { setContract } from "../../runbook/recordSync.ts";
import { verifySnapshot } from "../../runbook/snapshot.ts";
import type { Snapshot } from "../../runbook/snapshot.ts";
import type { CommandSpec } from "../command.ts";
import { execRunbook } from "../internal/exec.ts";
import { formatTable } from "../internal/table.ts";

export const migrate: CommandSpec = {
  name: "migrate",
  description:
    "funds strategy after a redeploy: dual-vault (verify + record) or merkle-claim (snapshot → root → credits)",
  sends: true,
  options: (cmd) =>
    cmd
      .addOption(
        new Option("--strategy <s>", "dual-vault | merkle-claim")
          .choices(["dual-vault", "merkle-claim"])
          .makeOptionMandatory(),
      )
      .option("--snapshot <file>", "snapshot of the paused old vault (merkle-claim)")
      .option("--claim-all", "claim for every user as a keeper (gasless for users)", false),
  async run(ctx, opts) {
    const rec = await ctx.record();
    const conn = await ctx.conn();
    const cur = rec.contracts.CoreVault;
    const old = cur?.previous.at(-1)?.address;
    if (!cur || !old)
      throw new DexetraError(
        ErrorCodes.RECORD_INVALID,
        "the record shows no redeployed CoreVault (no previous generation)",
      );
    if (opts.strategy === "dual-vault") {
      const rows = [];
      for (const m of rec.markets) {
        const ms = (await conn.client.readContract({
          address: m.orderBook,
          abi: orderBookAbi,
          functionName: "marketStatic",
        })) as unknown as [Address];
        rows.push({
          market: m.symbol || m.marketId,
          book: m.orderBook,
          recordVault: m.vault,
          bookVault: getAddress(ms[0]),
          ok: getAddress(ms[0]) === m.vault ? "✔" : "✘",
        });
      }
      const bad = rows.filter((r) => r.ok !== "✔");
      if (bad.length)
        throw new DexetraError(
          ErrorCodes.VALIDATION,
          `${bad.length} book(s) do not call the vault the record says (run \`dexetra check\`)`,
        );
      if (!ctx.g.plan) {
        const r = readRecord(ctx.recordFile);
        r.migration = { strategy: "dual-vault", fromVault: old, toVault: cur.address };
        ctx.saveRecord(r);
      }
      const legacy = rows.filter((r) => r.recordVault === old).length;
      return {
        data: { strategy: "dual-vault", markets: rows },
        text: `${formatTable(rows)}\ndual-vault: ${legacy} legacy market(s) on ${old}, ${rows.length - legacy} on ${cur.address}\n`,
      };
    }
    if (!opts.snapshot)
      throw new DexetraError(
        ErrorCodes.BAD_FLAG,
        "--strategy merkle-claim needs --snapshot <file> (from `dexetra snapshot`)",
      );
    const snap = JSON.parse(readFileSync(opts.snapshot as string, "utf8")) as Snapshot;
    verifySnapshot(snap);
    if (snap.chainId !== conn.chainId)
      throw new DexetraError(
        ErrorCodes.RECORD_CHAIN_MISMATCH,
        `--snapshot is from chain ${snap.chainId}, not ${conn.chainId}`,
      );
    if (getAddress(snap.vault) !== old)
      throw new DexetraError(ErrorCodes.BAD_FLAG, `--snapshot is of ${snap.vault}, not of the previous vault ${old}`);
    const claims = buildClaims(snap);
    const backed = backedAmounts(snap);
    const backedTotal = backed.reduce((a, x) => a + x.amount, 0n);
    const claimsFile = join(dirname(ctx.recordFile), `${ctx.network}.claims.json`);
    const vaultAbi = readArtifact("CoreVault").abi;
    const credAbi = readArtifact("MigrationCreditor").abi;
    const existing = rec.migration?.merkleRoot === claims.root ? rec.contracts.MigrationCreditor?.address : undefined;
    const usdc = getAddress(
      (await conn.client.readContract({ address: old, abi: vaultAbi, functionName: "collateralToken" })) as Address,
    );
    const read = (address: Address, functionName: string, args: readonly unknown[] = [], abi = vaultAbi) =>
      conn.client.readContract({ address, abi, functionName, args } as never) as Promise<bigint>;
    const rb = migrateRunbook({
      newVault: cur.address,
      oldVault: old,
      usdc,
      backed,
      claims,
      ...(existing ? { existingCreditor: existing } : {}),
      claimAll: Boolean(opts.claimAll),
      recordStep: async (sc) => {
        const r = readRecord(ctx.recordFile);
        const creditor = getAddress(sc.outputs.creditor!);
        await setContract(r, sc, "MigrationCreditor", {
          address: creditor,
          artifact: "MigrationCreditor",
          stepId: "deploy:MigrationCreditor",
        });
        r.migration = {
          strategy: "merkle-claim",
          fromVault: old,
          toVault: cur.address,
          snapshotBlock: Number(snap.block),
          snapshotChecksum: snap.checksum,
          merkleRoot: claims.root,
          total: claims.total,
        };
        ctx.saveRecord(r);
        const file: ClaimsFile = { ...claims, creditor };
        writeFileAtomic(claimsFile, JSON.stringify(file, null, 2) + "\n");
        sc.log(`  claims file for users and keepers: ${claimsFile}`);
      },
      reconcileStep: async (sc) => {
        const creditor = getAddress(sc.outputs.creditor!);
        const claimedTotal = (await sc.client.readContract({
          address: creditor,
          abi: credAbi,
          functionName: "claimedTotal",
        })) as bigint;
        // Credited = still external + already converted to token-backed (a resumed run sees both).
        let credited = 0n;
        for (const c of claims.claims)
          credited +=
            (await read(cur.address, "externalCreditOf", [c.user])) +
            (await read(cur.address, "backedCreditOf", [c.user]));
        const total = BigInt(claims.total);
        if (claimedTotal !== total || credited < total || BigInt(snap.totals.balance) !== total) {
          throw new DexetraError(
            ErrorCodes.RECONCILE,
            `migration does not reconcile: snapshot ${snap.totals.balance}, root total ${total}, claimed ${claimedTotal}, credited ${credited}`,
          );
        }
        return { reconciled: `${claims.claims.length} claims, ${total} micro-USDC = snapshot total` };
      },
      backingStep: async () => {
        const oldUsdc = await read(usdc, "balanceOf", [old], erc20Abi);
        let converted = 0n;
        const short: string[] = [];
        for (const b of backed) {
          const got = await read(cur.address, "backedCreditOf", [b.user]);
          converted += got;
          if (got !== b.amount) short.push(`${b.user} ${got}/${b.amount}`);
        }
        const unallocated = await read(cur.address, "unallocatedBacking");
        const moved = BigInt(snap.totals.vaultUsdc);
        if (oldUsdc !== 0n || short.length || converted !== backedTotal || converted + unallocated < moved) {
          throw new DexetraError(
            ErrorCodes.RECONCILE,
            `backing does not reconcile: old vault USDC ${oldUsdc}, converted ${converted} of ${backedTotal}, unallocated ${unallocated}, old vault USDC at the snapshot ${moved}${short.length ? `; not converted: ${short.slice(0, 3).join(", ")}` : ""}`,
          );
        }
        return {
          backing: `${moved} micro-USDC moved; ${converted} token-backed for ${backed.length} user(s); ${unallocated} unallocated (old pools)`,
        };
      },
    });
    const { result, out } = await execRunbook(ctx, rb);
    if (result.outputs.reconciled) out.text += `reconciled: ${result.outputs.reconciled}\n`;
    if (result.outputs.backing) out.text += `backing: ${result.outputs.backing}\n`;
    return {
      ...out,
      data: { ...(out.data as object), root: claims.root as Hex, total: claims.total, claims: claims.claims.length },
    };
  },
};
