// `dexetra snapshot`: every balance, credit, position and resting order of a vault at one pinned
// block, with a checksum, written atomically (or not at all).
import { join, dirname } from "node:path";
import type { Address } from "viem";
import { writeFileAtomic } from "../../config/record.ts";
import { takeSnapshot } from "../../runbook/snapshot.ts";
import type { CommandSpec } from "../command.ts";
import { formatTable } from "../internal/table.ts";

export const snapshot: CommandSpec = {
  name: "snapshot",
  description: "read every balance, credit, position and resting order at one pinned block, with a checksum",
  sends: false,
  options: (cmd) =>
    cmd
      .option(
        "--vault <address>",
        "vault to snapshot (default: the record's previous CoreVault if any, else the current one)",
      )
      .option("--block <n>", "pin this block (default: latest)")
      .option("--out <file>", "output file (default: deployments/<network>.snapshot.<vault>.<block>.json)"),
  async run(ctx, opts) {
    const rec = await ctx.record();
    const conn = await ctx.conn();
    const cur = rec.contracts.CoreVault!;
    const flagged = await ctx.contractFlag("--vault", opts.vault as string | undefined);
    const vault: Address = flagged ?? cur.previous.at(-1)?.address ?? cur.address;
    const gen = vault === cur.address ? cur : cur.previous.find((p) => p.address === vault);
    const block = opts.block !== undefined ? BigInt(opts.block as string) : undefined;
    const snap = await takeSnapshot(conn.client, {
      vault,
      chainId: conn.chainId,
      ...(block !== undefined ? { block } : {}),
      ...(rec.contracts.Multicall3 ? { multicall: rec.contracts.Multicall3.address } : {}),
      ...(gen?.deployBlock !== undefined ? { fromBlock: BigInt(gen.deployBlock) } : {}),
    });
    const file =
      (opts.out as string | undefined) ??
      join(dirname(ctx.recordFile), `${ctx.network}.snapshot.${vault}.${snap.block}.json`);
    writeFileAtomic(file, JSON.stringify(snap, null, 2) + "\n");
    const t = snap.totals;
    const text =
      formatTable([
        {
          vault,
          block: snap.block,
          paused: snap.paused,
          markets: snap.markets.length,
          users: t.users,
          positions: t.positions,
          orders: t.orders,
        },
      ]) +
      `\nbalances ${t.balance} (external credit ${t.externalCredit}), vault USDC ${t.vaultUsdc}\nchecksum ${snap.checksum}\nwrote ${file}\n` +
      (snap.paused ? "" : "warning: the vault is not paused, balances can still change after this block\n");
    return { data: { file, block: snap.block, checksum: snap.checksum, totals: t, paused: snap.paused }, text };
  },
};
