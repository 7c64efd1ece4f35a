// The spec's post-deployment validation, automated. Every item is a read or a static call (no
// transaction): roles and mappings, books pointing at the vault, the liquidation and settlement
// paths reachable by the right callers only, paged enumeration that includes externally credited
// users, and a poke that fits the small-block budget.
import { decodeErrorResult, encodeFunctionData, getAddress, parseAbiItem, zeroAddress } from "viem";
import type { Abi, Address, Hex, PublicClient } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import { orderBookAbi, vaultWiringAbi } from "../chain/abis.ts";
import { readWiring, short } from "./wiring.ts";
import type { ReadOpts, WiringInput } from "./wiring.ts";

export type ValidationItem = { area: string; check: string; ok: boolean; detail: string };

export type ValidateInput = {
  wiring: WiringInput;
  /** Gas every keeper transaction must fit (HyperEVM small blocks: 2,000,000). */
  smallBlockGas: bigint;
  /** Block the vault was deployed at (scan ExternalCredited from here). */
  fromBlock?: bigint;
  /** The generated consumer config's coreVault, if any. */
  configuredVault?: Address;
  read: ReadOpts;
  pageSize?: number;
};

const STRANGER = "0x000000000000000000000000000000000000dEaD" as Address; // address-literal-ok (burn address, never a contract)

function vaultAbi(): Abi {
  return readArtifact("CoreVault").abi;
}

/** Static call as `from`; returns the custom error name on revert, "ok" on success. */
async function probe(
  client: PublicClient,
  from: Address,
  to: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
): Promise<string> {
  try {
    await client.call({ account: from, to, data: encodeFunctionData({ abi, functionName, args } as never) });
    return "ok";
  } catch (e) {
    const data = findRevertData(e);
    if (data) {
      try {
        return decodeErrorResult({ abi, data }).errorName;
      } catch {
        return `revert ${data.slice(0, 10)}`;
      }
    }
    return `error: ${(e as { shortMessage?: string }).shortMessage ?? String(e)}`;
  }
}

function findRevertData(e: unknown): Hex | undefined {
  let cur = e as { data?: unknown; cause?: unknown } | undefined;
  for (let i = 0; cur && i < 8; i++) {
    if (typeof cur.data === "string" && cur.data.startsWith("0x")) return cur.data as Hex;
    if (cur.data && typeof (cur.data as { data?: unknown }).data === "string") return (cur.data as { data: Hex }).data;
    cur = cur.cause as typeof cur;
  }
  return undefined;
}

export async function validateSystem(client: PublicClient, inp: ValidateInput): Promise<ValidationItem[]> {
  const items: ValidationItem[] = [];
  const w = inp.wiring;
  const v = w.vault;
  const abi = vaultAbi();
  const add = (area: string, check: string, ok: boolean, detail = "") => items.push({ area, check, ok, detail });

  // 1-2. AccessControl and market wiring, incl. every book's vault pointer.
  const wiring = await readWiring(client, w, inp.read);
  const critical = wiring.drift.filter((d) => d.critical);
  add(
    "roles+wiring",
    `${wiring.checked} role/mapping/pointer checks`,
    critical.length === 0,
    critical.map((d) => `${d.what}: ${d.actual}`).join("; ") || "no critical drift",
  );

  const settlement = [...(w.factory ? [w.factory] : []), ...w.settlementOperators];
  for (const b of w.books) {
    const tag = `book ${short(b.orderBook)}`;
    // 3. The book calls THIS vault: its pointer, and the vault's own view of the market.
    const ms = (await client.readContract({
      address: b.orderBook,
      abi: orderBookAbi,
      functionName: "marketStatic",
    })) as unknown as readonly [Address, Hex];
    const info = (await client.readContract({
      address: v,
      abi: vaultWiringAbi,
      functionName: "getMarketInfo",
      args: [b.marketId],
    })) as {
      orderBook: Address;
      markPrice: bigint;
    };
    add(
      "books",
      `${tag} → vault`,
      getAddress(ms[0]) === v && ms[1] === b.marketId && getAddress(info.orderBook) === b.orderBook,
      `book.vault=${short(ms[0])}`,
    );

    // 4. Liquidation path: reachable by the book (refused only because nobody is liquidatable),
    // refused to a stranger; isLiquidatable answers for every paged user.
    const users = await pageAll(client, v, b.marketId, inp.pageSize ?? 20);
    const mark = info.markPrice;
    let liqOk = true;
    for (const u of users.slice(0, 5)) {
      const r = await probe(client, b.orderBook, v, abi, "isLiquidatable", [u, b.marketId, mark]);
      if (r !== "ok") liqOk = false;
    }
    const byBook = await probe(client, b.orderBook, v, abi, "updatePositionWithLiquidation", [
      STRANGER,
      b.marketId,
      0n,
      mark || 1n,
    ]);
    const byStranger = await probe(client, STRANGER, v, abi, "updatePositionWithLiquidation", [
      STRANGER,
      b.marketId,
      0n,
      mark || 1n,
    ]);
    add(
      "liquidation",
      `${tag}: isLiquidatable, updatePositionWithLiquidation gate`,
      liqOk &&
        !["NotMarketOrderBook", "AccessControlUnauthorizedAccount", "UnknownMarket"].includes(byBook) &&
        byStranger !== "ok",
      `book→${byBook}, stranger→${byStranger}`,
    );
    const rewards = await probe(client, b.orderBook, v, abi, "payMakerRewards", [b.marketId, [], []]);
    const rewardsStranger = await probe(client, STRANGER, v, abi, "payMakerRewards", [b.marketId, [], []]);
    add(
      "liquidation",
      `${tag}: maker reward payment path`,
      rewards === "ok" && rewardsStranger !== "ok",
      `book→${rewards}, stranger→${rewardsStranger}`,
    );

    // 5. Settlement: updateMarkPrice by authorized callers, refused to a stranger.
    if (mark > 0n) {
      const results = await Promise.all(
        settlement.map((s) => probe(client, s, v, abi, "updateMarkPrice", [b.marketId, mark])),
      );
      const bookMark = await probe(client, b.orderBook, v, abi, "updateMarkPrice", [b.marketId, mark]);
      const stranger = await probe(client, STRANGER, v, abi, "updateMarkPrice", [b.marketId, mark]);
      add(
        "settlement",
        `${tag}: updateMarkPrice by book and ${settlement.length} settlement caller(s)`,
        bookMark === "ok" && results.every((r) => r === "ok") && stranger !== "ok",
        `book→${bookMark}, operators→${results.join(",") || "-"}, stranger→${stranger}`,
      );
    } else {
      add("settlement", `${tag}: updateMarkPrice`, true, "no mark yet (market without trades): skipped");
    }

    // 6. Paged enumeration: every paged user holds a position; count matches the walk.
    const count = (await client.readContract({
      address: v,
      abi,
      functionName: "getUsersWithPositionsInMarketCount",
      args: [b.marketId],
    })) as bigint;
    let allHold = true;
    for (const u of users) {
      const p = (await client.readContract({
        address: v,
        abi,
        functionName: "getPosition",
        args: [u, b.marketId],
      })) as { size: bigint };
      if (p.size === 0n) allHold = false;
    }
    add(
      "enumeration",
      `${tag}: paged walk of users with positions`,
      BigInt(users.length) === count && new Set(users).size === users.length && allHold,
      `${users.length} user(s), count ${count}`,
    );

    // 7. A poke fits the small-block budget.
    try {
      const gas = await client.estimateContractGas({
        address: b.orderBook,
        abi: orderBookAbi,
        functionName: "pokeLiquidations",
        account: STRANGER,
      });
      add("small-block", `${tag}: pokeLiquidations gas`, gas <= inp.smallBlockGas, `${gas} ≤ ${inp.smallBlockGas}`);
    } catch (e) {
      add(
        "small-block",
        `${tag}: pokeLiquidations gas`,
        false,
        (e as { shortMessage?: string }).shortMessage ?? String(e),
      );
    }
  }

  // Users credited through creditExternal are in the known-users list (gasless users first-class).
  const credited = new Set<string>();
  const logs = await client.getLogs({
    address: v,
    event: parseAbiItem("event ExternalCredited(address indexed user, uint256 amount, address indexed creditor)"),
    fromBlock: inp.fromBlock ?? 0n,
    toBlock: "latest",
  });
  for (const l of logs) credited.add(getAddress(l.args.user!));
  const known = new Set<string>(await pageKnown(client, v, inp.pageSize ?? 20));
  const missing = [...credited].filter((u) => !known.has(u));
  add(
    "enumeration",
    "externally credited users are known users",
    missing.length === 0,
    `${credited.size} credited, ${known.size} known${missing.length ? `, missing ${missing.join(",")}` : ""}`,
  );

  if (inp.configuredVault !== undefined) {
    add(
      "app-config",
      "generated config points at the vault",
      getAddress(inp.configuredVault) === v,
      `config coreVault=${inp.configuredVault}`,
    );
  }
  void zeroAddress;
  return items;
}

export async function pageAll(
  client: PublicClient,
  vault: Address,
  marketId: Hex,
  pageSize: number,
): Promise<Address[]> {
  const abi = vaultAbi();
  const users: Address[] = [];
  for (let offset = 0n; ; offset += BigInt(pageSize)) {
    const page = (await client.readContract({
      address: vault,
      abi,
      functionName: "getUsersWithPositionsInMarketPage",
      args: [marketId, offset, BigInt(pageSize)],
    })) as Address[];
    users.push(...page.map((a) => getAddress(a)));
    if (page.length < pageSize) return users;
  }
}

export async function pageKnown(
  client: PublicClient,
  vault: Address,
  pageSize: number,
  blockNumber?: bigint,
): Promise<Address[]> {
  const abi = vaultAbi();
  const users: Address[] = [];
  for (let offset = 0n; ; offset += BigInt(pageSize)) {
    const page = (await client.readContract({
      address: vault,
      abi,
      functionName: "getKnownUsersPage",
      args: [offset, BigInt(pageSize)],
      ...(blockNumber !== undefined ? { blockNumber } : {}),
    })) as Address[];
    users.push(...page.map((a) => getAddress(a)));
    if (page.length < pageSize) return users;
  }
}
