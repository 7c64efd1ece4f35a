// `dexetra keeper`: the liquidation keeper (pokes, targeted liquidations, maker-reward settlement).
import { join } from "node:path";
import type { CommandSpec } from "../command.ts";
import { Keeper } from "../../keeper/keeper.ts";
import { openKeeperStore } from "../../keeper/openStore.ts";
import { clientFromProvider } from "../../keeper/rpc.ts";
import { fillsPlanner } from "../../keeper/rewards.ts";
import { DEFAULT_GAS_BUDGET } from "../../keeper/sender.ts";
import { intFlag, untilStopped, usdcFlag, workerAccounts } from "../internal/service.ts";

export const keeper: CommandSpec = {
  name: "keeper",
  description:
    "run the liquidation keeper: poke, liquidate worst-first, socialize bad debt, settle maker rewards, claim liquidator rewards (Ctrl-C stops)",
  sends: false, // its keys come from DEXETRA_KEEPER_KEYS, checked before connecting
  options: (cmd) =>
    cmd
      .option("--port <n>", "serve /health and /metrics on this port (0 = any)", "9464")
      .option(
        "--store <path|url>",
        "state shared by keeper instances: a SQLite file, or a postgres:// URL (default $DEXETRA_KEEPER_STORE, else .dexetra/<network>.keeper.sqlite)",
      )
      .option("--gas-budget <gas>", "refuse any transaction estimated above this", DEFAULT_GAS_BUDGET.toString())
      .option("--tick <ms>", "loop interval", "1000")
      .option("--poke-interval <ms>", "poke every book this often", "15000")
      .option("--price-move-bps <bps>", "poke at once when the mark moved this much", "50")
      .option(
        "--claim-min <usdc>",
        'claim deferred liquidator rewards once a book owes a signer this much USDC, or "off"',
        "10",
      )
      .option("--duration <seconds>", "stop after this long (default: until Ctrl-C)")
      .option("--once", "run one pass and print the health report", false),
  async run(ctx, opts) {
    const gasBudget = BigInt(intFlag("--gas-budget", opts.gasBudget, 21_000)!);
    const claimMin = usdcFlag("--claim-min", opts.claimMin);
    // The store first: a bad --store stops the command before any chain is touched.
    const fromEnv = opts.store === undefined && ctx.io.env.DEXETRA_KEEPER_STORE !== undefined;
    const spec =
      (opts.store as string | undefined) ??
      ctx.io.env.DEXETRA_KEEPER_STORE ??
      join(ctx.io.cwd, ".dexetra", `${ctx.network}.keeper.sqlite`);
    const store = await openKeeperStore(spec, fromEnv ? "DEXETRA_KEEPER_STORE" : "--store");
    try {
      const rec = await ctx.record();
      const vault = rec.contracts.CoreVault?.address;
      if (!vault) throw new Error(`the ${ctx.network} record has no CoreVault`);
      const conn = await ctx.conn();
      const accounts = await workerAccounts(
        ctx.io.env,
        conn.provider,
        conn.inProcess || ctx.io.env.DEXETRA_DEV_CHAIN === "1",
      );
      const k = new Keeper({
        client: clientFromProvider(conn.provider, conn.chainId),
        chainId: conn.chainId,
        vault,
        accounts,
        store,
        gasBudget,
        tickMs: intFlag("--tick", opts.tick, 10),
        pokeIntervalMs: intFlag("--poke-interval", opts.pokeInterval, 100),
        priceMoveBps: BigInt(intFlag("--price-move-bps", opts.priceMoveBps, 1)!),
        rewards: { planner: fillsPlanner, fromBlock: BigInt(rec.contracts.CoreVault?.deployBlock ?? 0) },
        ...(claimMin !== undefined ? { claimLiquidatorRewardMin: claimMin } : {}),
        log: (r) =>
          ctx.progress(
            JSON.stringify({ t: new Date().toISOString(), svc: "keeper", ...r }, (_k, v) =>
              typeof v === "bigint" ? v.toString() : v,
            ),
          ),
      });
      if (opts.once) {
        await k.tick();
        const h = await k.health();
        return { data: h, text: JSON.stringify(h, null, 2) + "\n" };
      }
      const url = await k.start({ port: intFlag("--port", opts.port, 0)! });
      ctx.progress(
        `keeper ${k.id}: ${accounts.length} signer(s), gas budget ${gasBudget}, health ${url}/health, metrics ${url}/metrics`,
      );
      const why = await untilStopped(intFlag("--duration", opts.duration, 0));
      await k.stop();
      const h = await k.health();
      return {
        data: { stoppedBy: why, ...h },
        text: `keeper stopped (${why}) after ${String(h.ticks)} ticks; sent ${JSON.stringify(k.sentByKind)}\n`,
      };
    } finally {
      await store.close();
    }
  },
};
