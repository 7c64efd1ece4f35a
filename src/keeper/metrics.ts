// Prometheus metrics of one keeper instance (its own registry, so several run in one process).
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export type KeeperMetrics = ReturnType<typeof createKeeperMetrics>;

export function createKeeperMetrics(registry = new Registry()) {
  const labels = ["market"] as const;
  return {
    registry,
    pokes: new Counter({
      name: "keeper_pokes_total",
      help: "pokeLiquidations mined",
      labelNames: labels,
      registers: [registry],
    }),
    liquidations: new Counter({
      name: "keeper_liquidations_total",
      help: "liquidateUser transactions mined successfully",
      labelNames: labels,
      registers: [registry],
    }),
    rewardSettlements: new Counter({
      name: "keeper_reward_settlements_total",
      help: "settleMakerRewards transactions mined successfully",
      labelNames: labels,
      registers: [registry],
    }),
    socializations: new Counter({
      name: "keeper_socializations_total",
      help: "socializeDeficit transactions mined successfully (bad debt recovered from open profit)",
      labelNames: labels,
      registers: [registry],
    }),
    gasPerTx: new Histogram({
      name: "keeper_tx_gas_used",
      help: "gas used per mined keeper transaction",
      labelNames: ["kind"],
      buckets: [50_000, 100_000, 200_000, 400_000, 600_000, 800_000, 1_000_000, 1_500_000, 2_000_000],
      registers: [registry],
    }),
    deficit: new Gauge({
      name: "keeper_market_deficit_usdc",
      help: "bad debt insurance did not cover, not yet socialized (USDC, 6 decimals), last read",
      labelNames: labels,
      registers: [registry],
    }),
    accountsAtRisk: new Gauge({
      name: "keeper_accounts_at_risk",
      help: "accounts liquidatable at the current mark, last screen",
      labelNames: labels,
      registers: [registry],
    }),
    lagBlocks: new Gauge({
      name: "keeper_lag_blocks",
      help: "chain head minus the block of the last completed screen",
      labelNames: labels,
      registers: [registry],
    }),
    pendingTxs: new Gauge({
      name: "keeper_pending_txs",
      help: "transactions in flight",
      labelNames: ["lane"],
      registers: [registry],
    }),
    errors: new Counter({
      name: "keeper_errors_total",
      help: "errors by kind",
      labelNames: ["kind"],
      registers: [registry],
    }),
    dropped: new Counter({
      name: "keeper_dropped_total",
      help: "transactions not sent: simulation reverted or over the gas budget",
      labelNames: ["reason"],
      registers: [registry],
    }),
    replacements: new Counter({
      name: "keeper_replacements_total",
      help: "stuck transactions replaced",
      registers: [registry],
    }),
  };
}
