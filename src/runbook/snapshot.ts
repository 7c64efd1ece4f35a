// A migration snapshot: every balance, credit, reservation, position and resting order of one
// vault, read at ONE pinned block, with a checksum. Markets are enumerated from the chain (the
// vault's own market list, not users' positions), page walks must return exactly the counts the
// chain reports, and any failed read aborts: a snapshot is complete or it does not exist.
import { getAddress, keccak256, parseAbiItem, stringToHex } from "viem";
import type { Abi, Address, Hex, PublicClient } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import { stableStringify } from "./describe.ts";

export type SnapshotPosition = { marketId: Hex; size: string; entryPrice: string; marginLocked: string };
export type SnapshotOrder = {
  marketId: Hex;
  orderId: string;
  price: string;
  amount: string;
  isBuy: boolean;
  reduceOnly: boolean;
};
export type SnapshotUser = {
  user: Address;
  balance: string;
  externalCredit: string;
  reserved: string;
  locked: string;
  positions: SnapshotPosition[];
  orders: SnapshotOrder[];
};

export type Snapshot = {
  kind: "dexetra.vault-snapshot";
  version: 1;
  chainId: number;
  vault: Address;
  block: string;
  blockHash: Hex;
  paused: boolean;
  markets: { marketId: Hex; orderBook: Address; mark: string; openPositions: string }[];
  users: SnapshotUser[];
  totals: {
    balance: string;
    externalCredit: string;
    vaultUsdc: string;
    users: number;
    positions: number;
    orders: number;
  };
  checksum: Hex;
};

type Call = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] };

/** Batched reads at `block`; the first failure aborts the whole snapshot. */
async function readAll(client: PublicClient, calls: Call[], block: bigint, multicall?: Address): Promise<unknown[]> {
  if (calls.length === 0) return [];
  try {
    if (multicall) {
      return (await client.multicall({
        contracts: calls.map((c) => ({ ...c, args: c.args ?? [] })) as never,
        allowFailure: false,
        multicallAddress: multicall,
        blockNumber: block,
        batchSize: 8_192,
      })) as unknown[];
    }
    return await Promise.all(
      calls.map((c) => client.readContract({ ...c, args: c.args ?? [], blockNumber: block } as never)),
    );
  } catch (cause) {
    throw new DexetraError(ErrorCodes.SNAPSHOT_READ, `snapshot read failed at block ${block}: nothing written`, {
      cause,
      hint: "Retry against a healthy (archive) RPC; a snapshot is never written partially.",
    });
  }
}

async function pageWalk<T>(count: bigint, page: (offset: bigint) => Promise<T[]>, what: string): Promise<T[]> {
  const out: T[] = [];
  for (let off = 0n; off < count; off += 100n) {
    const p = await page(off);
    if (p.length === 0) break;
    out.push(...p);
  }
  if (BigInt(out.length) !== count) {
    throw new DexetraError(
      ErrorCodes.SNAPSHOT_READ,
      `${what}: page walk returned ${out.length} of ${count}; refusing a truncated snapshot`,
    );
  }
  return out;
}

export function snapshotChecksum(s: Omit<Snapshot, "checksum"> & { checksum?: Hex }): Hex {
  const { checksum: _c, ...rest } = s;
  return keccak256(stringToHex(stableStringify(rest)));
}

export async function takeSnapshot(
  client: PublicClient,
  p: { vault: Address; chainId: number; block?: bigint; multicall?: Address; fromBlock?: bigint; logChunk?: bigint },
): Promise<Snapshot> {
  const vaultAbi = readArtifact("CoreVault").abi;
  const viewAbi = readArtifact("OBViewFacet").abi;
  const usdcAbi = readArtifact("MockUSDC").abi;
  const block = p.block ?? (await client.getBlockNumber({ cacheTime: 0 }));
  const blk = await client.getBlock({ blockNumber: block });
  const v = p.vault;
  const one = async (functionName: string, args: readonly unknown[] = [], address: Address = v, abi: Abi = vaultAbi) =>
    (await readAll(client, [{ address, abi, functionName, args }], block, p.multicall))[0];

  const [marketsCount, usersCount, paused, usdc] = await readAll(
    client,
    [
      { address: v, abi: vaultAbi, functionName: "getMarketsCount" },
      { address: v, abi: vaultAbi, functionName: "getKnownUsersCount" },
      { address: v, abi: vaultAbi, functionName: "paused" },
      { address: v, abi: vaultAbi, functionName: "collateralToken" },
    ],
    block,
    p.multicall,
  );
  const markets = await pageWalk(
    marketsCount as bigint,
    async (off) => {
      const [ids, books] = (await one("getMarketsPage", [off, 100n])) as [Hex[], Address[]];
      return ids.map((id, i) => ({ marketId: id, orderBook: getAddress(books[i]!) }));
    },
    "markets",
  );
  const known = await pageWalk(
    usersCount as bigint,
    async (off) => ((await one("getKnownUsersPage", [off, 100n])) as Address[]).map((a) => getAddress(a)),
    "known users",
  );
  // Native depositors who never traded are not in the known-users index: find them in Deposited
  // events since the vault's deployment (chunked; a failed chunk aborts the snapshot).
  const seen = new Set<Address>(known);
  const depositors: Address[] = [];
  const chunk = p.logChunk ?? 10_000n;
  for (let from = p.fromBlock ?? 0n; from <= block; from += chunk) {
    const to = from + chunk - 1n > block ? block : from + chunk - 1n;
    let logs;
    try {
      logs = await client.getLogs({
        address: v,
        event: parseAbiItem("event Deposited(address indexed user, uint256 amount)"),
        fromBlock: from,
        toBlock: to,
      });
    } catch (cause) {
      throw new DexetraError(
        ErrorCodes.SNAPSHOT_READ,
        `Deposited logs ${from}..${to} could not be read: nothing written`,
        { cause },
      );
    }
    for (const l of logs) {
      const u = getAddress(l.args.user!);
      if (!seen.has(u)) {
        seen.add(u);
        depositors.push(u);
      }
    }
  }
  const users = [...known, ...depositors];

  const perMarket = await readAll(
    client,
    markets.flatMap((m) => [
      { address: v, abi: vaultAbi, functionName: "getMarkPrice", args: [m.marketId] },
      { address: v, abi: vaultAbi, functionName: "getUsersWithPositionsInMarketCount", args: [m.marketId] },
    ]),
    block,
    p.multicall,
  );
  const perUser = await readAll(
    client,
    users.flatMap((u) => [
      { address: v, abi: vaultAbi, functionName: "balanceOf", args: [u] },
      { address: v, abi: vaultAbi, functionName: "externalCreditOf", args: [u] },
      { address: v, abi: vaultAbi, functionName: "getReservedMargin", args: [u] },
      { address: v, abi: vaultAbi, functionName: "getLockedMargin", args: [u] },
      { address: v, abi: vaultAbi, functionName: "getUserPositions", args: [u] },
      ...markets.map((m) => ({ address: m.orderBook, abi: viewAbi, functionName: "getUserOrders", args: [u] })),
    ]),
    block,
    p.multicall,
  );
  const stride = 5 + markets.length;
  const orderCalls: { user: number; marketId: Hex; call: Call }[] = [];
  users.forEach((_u, i) => {
    markets.forEach((m, k) => {
      for (const id of perUser[i * stride + 5 + k] as bigint[]) {
        orderCalls.push({
          user: i,
          marketId: m.marketId,
          call: { address: m.orderBook, abi: viewAbi, functionName: "getOrder", args: [id] },
        });
      }
    });
  });
  const orders = await readAll(
    client,
    orderCalls.map((o) => o.call),
    block,
    p.multicall,
  );

  const snapUsers: SnapshotUser[] = users.map((u, i) => {
    const b = i * stride;
    const positions = (
      perUser[b + 4] as { marketId: Hex; size: bigint; entryPrice: bigint; marginLocked: bigint }[]
    ).map((x) => ({
      marketId: x.marketId,
      size: x.size.toString(),
      entryPrice: x.entryPrice.toString(),
      marginLocked: x.marginLocked.toString(),
    }));
    return {
      user: u,
      balance: (perUser[b] as bigint).toString(),
      externalCredit: (perUser[b + 1] as bigint).toString(),
      reserved: (perUser[b + 2] as bigint).toString(),
      locked: (perUser[b + 3] as bigint).toString(),
      positions,
      orders: [],
    };
  });
  orderCalls.forEach((o, j) => {
    const ov = orders[j] as { orderId: bigint; price: bigint; amount: bigint; isBuy: boolean; reduceOnly: boolean };
    snapUsers[o.user]!.orders.push({
      marketId: o.marketId,
      orderId: ov.orderId.toString(),
      price: ov.price.toString(),
      amount: ov.amount.toString(),
      isBuy: ov.isBuy,
      reduceOnly: ov.reduceOnly,
    });
  });
  const vaultUsdc = (await one("balanceOf", [v], getAddress(usdc as Address), usdcAbi)) as bigint;
  const sum = (k: "balance" | "externalCredit") => snapUsers.reduce((s, u) => s + BigInt(u[k]), 0n);
  const body: Omit<Snapshot, "checksum"> = {
    kind: "dexetra.vault-snapshot",
    version: 1,
    chainId: p.chainId,
    vault: v,
    block: block.toString(),
    blockHash: blk.hash!,
    paused: paused as boolean,
    markets: markets.map((m, i) => ({
      ...m,
      mark: (perMarket[2 * i] as bigint).toString(),
      openPositions: (perMarket[2 * i + 1] as bigint).toString(),
    })),
    users: snapUsers,
    totals: {
      balance: sum("balance").toString(),
      externalCredit: sum("externalCredit").toString(),
      vaultUsdc: vaultUsdc.toString(),
      users: snapUsers.length,
      positions: snapUsers.reduce((n, u) => n + u.positions.length, 0),
      orders: snapUsers.reduce((n, u) => n + u.orders.length, 0),
    },
  };
  return { ...body, checksum: snapshotChecksum(body) };
}

export function verifySnapshot(s: Snapshot): void {
  if (snapshotChecksum(s) !== s.checksum) {
    throw new DexetraError(
      ErrorCodes.SNAPSHOT_READ,
      `snapshot checksum mismatch: the file was changed after it was taken`,
    );
  }
}
