// Drive a keeper against a dev chain one small block at a time (tests, bench, demo): tick, mine,
// repeat until every watched account is flat and nothing is in flight. Block-exact and repeatable.
import { getAbiItem, toFunctionSelector, type Log } from "viem";
import { orderBookAbi, vaultAbi } from "./abi.ts";
import type { Keeper } from "./keeper.ts";
import type { Cascade } from "./scenario.ts";

type Provider = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

export type DriveResult = {
  blocks: number;
  txs: number;
  maxTxGas: bigint;
  maxBlockGas: bigint;
  liquidations: number;
  pokes: number;
  rewardSettlements: number;
  reverted: number;
  gasByKind: Record<string, bigint[]>;
  /** Kind of every keeper transaction in mined order. */
  order: string[];
  /** Keeper transactions mined in each block driven (index 0 = first block). */
  txsPerBlock: number[];
};

/** Accounts with a position across the cascade's markets (whale and printer included). */
export async function openCount(c: Cascade): Promise<number> {
  let n = 0;
  for (const m of c.markets)
    n += Number(
      await c.client.readContract({
        address: c.vault,
        abi: vaultAbi,
        functionName: "getUsersWithPositionsInMarketCount",
        args: [m.marketId],
      }),
    );
  return n;
}

export async function drive(
  p: Provider,
  c: Cascade,
  keepers: Keeper[],
  o: {
    maxBlocks?: number;
    done?: () => Promise<boolean>;
    onBlock?: (b: number) => Promise<void> | void;
    /** Tick all keepers at once (interleaved like separate processes) instead of one after another. */
    concurrent?: boolean;
  } = {},
): Promise<DriveResult> {
  const signers = new Set(keepers.flatMap((k) => k.sender.addresses.map((a) => a.toLowerCase())));
  const selectors = new Map<string, string>();
  for (const name of ["pokeLiquidations", "liquidateUser", "settleMakerRewards", "socializeDeficit"] as const) {
    selectors.set(toFunctionSelector(getAbiItem({ abi: orderBookAbi, name })), name);
  }
  const r: DriveResult = {
    blocks: 0,
    txs: 0,
    maxTxGas: 0n,
    maxBlockGas: 0n,
    liquidations: 0,
    pokes: 0,
    rewardSettlements: 0,
    reverted: 0,
    gasByKind: {},
    order: [],
    txsPerBlock: [],
  };
  const settled = async () => (await Promise.all(keepers.map((k) => k.sender.totalPending()))).every((n) => n === 0);
  await p.request({ method: "evm_setAutomine", params: [false] });
  try {
    for (let i = 0; i < (o.maxBlocks ?? 2_000); i++) {
      if (o.concurrent) await Promise.all(keepers.map((k) => k.tick()));
      else for (const k of keepers) await k.tick();
      await p.request({ method: "evm_mine", params: [] });
      r.blocks += 1;
      const block = await c.client.getBlock({ includeTransactions: true });
      r.txsPerBlock.push(0);
      if (block.gasUsed > r.maxBlockGas) r.maxBlockGas = block.gasUsed;
      for (const tx of block.transactions) {
        if (!signers.has(tx.from.toLowerCase())) continue;
        const rc = await c.client.getTransactionReceipt({ hash: tx.hash });
        const kind = selectors.get(tx.input.slice(0, 10)) ?? "other";
        r.txs += 1;
        r.txsPerBlock[r.txsPerBlock.length - 1]! += 1;
        if (rc.gasUsed > r.maxTxGas) r.maxTxGas = rc.gasUsed;
        (r.gasByKind[kind] ??= []).push(rc.gasUsed);
        r.order.push(kind);
        if (rc.status !== "success") r.reverted += 1;
        else if (kind === "liquidateUser") r.liquidations += 1;
        else if (kind === "pokeLiquidations") r.pokes += 1;
        else if (kind === "settleMakerRewards") r.rewardSettlements += 1;
      }
      await o.onBlock?.(r.blocks);
      const done = o.done ? await o.done() : false;
      if (done && (await settled())) break;
    }
  } finally {
    await p.request({ method: "evm_setAutomine", params: [true] });
  }
  return r;
}

/** UserLiquidated events per user over a block range (a user liquidated twice shows up here). */
export async function liquidationsByUser(c: Cascade, fromBlock: bigint): Promise<Map<string, number>> {
  const logs = (await c.client.getLogs({
    address: c.markets.map((m) => m.book),
    event: getAbiItem({ abi: orderBookAbi, name: "UserLiquidated" }),
    fromBlock,
  })) as (Log & { args: { user: string } })[];
  const m = new Map<string, number>();
  for (const l of logs) m.set(l.args.user.toLowerCase(), (m.get(l.args.user.toLowerCase()) ?? 0) + 1);
  return m;
}
