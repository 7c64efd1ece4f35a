// `dexetra inspect-orderbook-liq --orderBook <addr>`: one book's liquidation picture: vault pointer
// and mapping, best prices and depth, users with positions, the poke cursor, who is liquidatable
// right now (static calls), the vault's risk groups (which pages a poke skips unread), recent
// liquidations, and whether a poke fits the small-block budget.
import { getAddress, parseAbiItem } from "viem";
import type { Address, Hex } from "viem";
import { readArtifact } from "../../chain/artifacts.ts";
import { orderBookAbi, vaultWiringAbi } from "../../chain/abis.ts";
import { multiRead } from "../../runbook/wiring.ts";
import { pageAll } from "../../runbook/validate.ts";
import type { CommandSpec } from "../command.ts";
import { formatTable } from "../internal/table.ts";
import { recordIfAny } from "../internal/wiring.ts";
import { SMALL_BLOCK_GAS } from "../internal/validation.ts";
import { groupCount, riskGroupStats, type RiskGroupRow } from "../../keeper/riskGroups.ts";

export const inspectOrderbookLiq: CommandSpec = {
  name: "inspect-orderbook-liq",
  description:
    "a book's vault wiring, prices and depth, positions, poke cursor, liquidatable accounts, recent liquidations, poke gas",
  sends: false,
  options: (cmd) =>
    cmd
      .requiredOption("--orderBook <address>", "the order book (diamond)")
      .option("--levels <n>", "depth levels per side", "5")
      .option("--blocks <n>", "look back this many blocks for liquidation events", "10000")
      .option("--small-block-gas <gas>", "gas budget a poke must fit", SMALL_BLOCK_GAS.toString()),
  async run(ctx, opts) {
    const ob = (await ctx.contractFlag("--orderBook", opts.orderBook as string))!;
    const c = (await ctx.conn()).client;
    const rec = await recordIfAny(ctx);
    const mc = rec?.contracts.Multicall3?.address;
    const vaultAbi = readArtifact("CoreVault").abi;
    const ms = (await c.readContract({ address: ob, abi: orderBookAbi, functionName: "marketStatic" })) as unknown as [
      Address,
      Hex,
    ];
    const vault = getAddress(ms[0]);
    const marketId = ms[1];
    const n = BigInt(opts.levels as string);
    const [mapped, registered, bid, ask, mark, cfg, bids, asks, orders] = (
      await multiRead(
        c,
        [
          { address: vault, abi: vaultWiringAbi, functionName: "marketToOrderBook", args: [marketId] },
          { address: vault, abi: vaultWiringAbi, functionName: "isOrderBookRegistered", args: [ob] },
          { address: ob, abi: orderBookAbi, functionName: "bestBid" },
          { address: ob, abi: orderBookAbi, functionName: "bestAsk" },
          { address: vault, abi: vaultWiringAbi, functionName: "getMarkPrice", args: [marketId] },
          { address: ob, abi: orderBookAbi, functionName: "getLiquidationConfig" },
          { address: ob, abi: orderBookAbi, functionName: "getTopLevels", args: [true, n] },
          { address: ob, abi: orderBookAbi, functionName: "getTopLevels", args: [false, n] },
          { address: ob, abi: orderBookAbi, functionName: "getActiveOrdersCount" },
        ],
        mc ? { multicallAddress: mc } : {},
      )
    ).map((r) => (r.ok ? r.value : undefined)) as unknown[];
    const users = await pageAll(c, vault, marketId, 20);
    const checks = await multiRead(
      c,
      users.map((u) => ({
        address: vault,
        abi: vaultAbi,
        functionName: "isLiquidatable",
        args: [u, marketId, mark as bigint],
      })),
      mc ? { multicallAddress: mc } : {},
    );
    const liquidatable = users.filter((_u, i) => checks[i]!.ok && checks[i]!.value === true);
    // The vault's safe-price summaries: in a group proven healthy at the mark a poke reads only the
    // entries of cross-margin accounts; other groups are screened exactly.
    const groupsTotal = groupCount(users.length);
    const groups = await multiRead(
      c,
      Array.from({ length: groupsTotal }, (_, g) => ({
        address: vault,
        abi: vaultAbi,
        functionName: "getRiskGroup",
        args: [marketId, BigInt(g), mark as bigint],
      })),
      mc ? { multicallAddress: mc } : {},
    );
    const rg = riskGroupStats(groups.map((r) => (r.ok ? (r.value as RiskGroupRow) : undefined)));
    const head = await c.getBlockNumber({ cacheTime: 0 });
    const from = head > BigInt(opts.blocks as string) ? head - BigInt(opts.blocks as string) : 0n;
    const logs = await c.getLogs({
      address: ob,
      event: parseAbiItem(
        "event UserLiquidated(address indexed user, address indexed liquidator, uint256 closedAmount, uint256 closedNotional, uint256 badDebt)",
      ),
      fromBlock: from,
      toBlock: head,
    });
    const budget = BigInt(opts.smallBlockGas as string);
    const pokeGas = await c
      .estimateContractGas({
        address: ob,
        abi: orderBookAbi,
        functionName: "pokeLiquidations",
        account: ctx.safe ?? vault,
      })
      .catch(() => undefined);
    const liqGas = liquidatable[0]
      ? await c
          .estimateContractGas({
            address: ob,
            abi: orderBookAbi,
            functionName: "liquidateUser",
            args: [liquidatable[0]],
            account: vault,
          })
          .catch(() => undefined)
      : undefined;
    const c7 = cfg as readonly bigint[] | undefined;
    const summary = {
      orderBook: ob,
      marketId,
      vault,
      mappingOk: mapped !== undefined && getAddress(mapped as Address) === ob,
      registered: registered === true,
      bestBid: bid,
      bestAsk: ask,
      mark,
      activeOrders: orders,
      usersWithPositions: users.length,
      lastCheckedIndex: c7?.[6],
      maxPage: c7?.[0],
      maxUsersPerTx: c7?.[1],
      maxLevels: c7?.[2],
      liquidatableNow: liquidatable,
      riskGroups: {
        total: groupsTotal,
        provenAtMark: rg.proven,
        flaggedInProven: rg.crossEntries,
        unproven: rg.unproven,
      },
      recentLiquidations: logs.map((l) => ({
        block: l.blockNumber,
        user: l.args.user,
        closed: l.args.closedAmount,
        badDebt: l.args.badDebt,
      })),
      pokeGas,
      liquidateUserGas: liqGas,
      smallBlockGas: budget,
      pokeFits: pokeGas !== undefined && pokeGas <= budget,
    };
    const depth = (side: unknown) => {
      const [prices, totals] = (side as [bigint[], bigint[]] | undefined) ?? [[], []];
      return prices.map((p, i) => ({ price: p, size: totals[i] }));
    };
    const text =
      formatTable([
        {
          key: "vault",
          value: `${vault} (mapping ${summary.mappingOk ? "ok" : "WRONG"}, ${summary.registered ? "registered" : "NOT registered"})`,
        },
        { key: "best bid / ask / mark", value: `${bid} / ${ask} / ${mark}` },
        { key: "users with positions", value: users.length },
        {
          key: "poke cursor",
          value: `lastCheckedIndex ${c7?.[6]} (page ${c7?.[0]}, ≤${c7?.[1]} users, ≤${c7?.[2]} levels per tx)`,
        },
        { key: "liquidatable now", value: liquidatable.length ? liquidatable.join(", ") : "none" },
        {
          key: "risk groups",
          value:
            `${rg.proven}/${groupsTotal} proven at the mark (+${rg.crossEntries} cross-margin entries)` +
            (rg.unproven.length
              ? `; exact: ${rg.unproven.slice(0, 8).join(", ")}${rg.unproven.length > 8 ? ", …" : ""}`
              : ""),
        },
        { key: "recent liquidations", value: `${logs.length} in the last ${head - from} blocks` },
        {
          key: "poke gas",
          value: `${pokeGas ?? "estimate failed"} of ${budget} (${summary.pokeFits ? "fits" : "DOES NOT FIT"})`,
        },
        ...(liqGas !== undefined ? [{ key: "liquidateUser gas", value: liqGas }] : []),
      ]) + `\nbids\n${formatTable(depth(bids))}\nasks\n${formatTable(depth(asks))}`;
    return { data: summary, text, ...(summary.pokeFits ? {} : { exitCode: 4 }) };
  },
};
