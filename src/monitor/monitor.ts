// The event monitor: follows every contract of the deployment record, folds events into state,
// evaluates the rules and raises / clears alerts. Each part of a tick has its own try/catch.
import type { Log, PublicClient } from "viem";
import { Counter, Gauge, Registry } from "prom-client";
import { classify, errorMessage } from "../keeper/errors.ts";
import { serveHealth, type HealthReport, type WorkerServer } from "../keeper/health.ts";
import { mapLimit } from "../keeper/screen.ts";
import { AlertManager, type AlertSink } from "./alerts.ts";
import { decode } from "./events.ts";
import { EventFollower } from "./follower.ts";
import { chainChecks } from "./checks.ts";
import {
  adminChanges,
  applyRoleEvent,
  liquidationOverBudget,
  unexpectedRoleHolders,
  type AdminEvent,
  type RoleGrant,
} from "./rules.ts";
import type { MonitorStore } from "./store.ts";
import type { MonitorTarget } from "./target.ts";

export type MonitorOptions = {
  client: PublicClient;
  store: MonitorStore;
  target: MonitorTarget;
  sink?: AlertSink;
  reorgDepth?: bigint;
  tickMs?: number;
  /** Alert when an account stays liquidatable for more than this many blocks. */
  maxLiquidatableBlocks?: number;
  /** Chain-state checks (book vaults, solvency, at-risk accounts) every N ticks. */
  checkEvery?: number;
  log?: (rec: Record<string, unknown>) => void;
};

export class Monitor {
  readonly registry = new Registry();
  readonly alerts: AlertManager;
  private o: MonitorOptions;
  private follower: EventFollower;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private server?: WorkerServer;
  private ticks = 0;
  private lastTickAt = 0;
  private head = 0n;
  private lastErrors: string[] = [];
  private m = {
    events: new Counter({
      name: "monitor_events_total",
      help: "events handled",
      labelNames: ["event"],
      registers: [this.registry],
    }),
    alerts: new Gauge({ name: "monitor_alerts_active", help: "active alerts", registers: [this.registry] }),
    lag: new Gauge({ name: "monitor_lag_blocks", help: "head minus cursor", registers: [this.registry] }),
    errors: new Counter({
      name: "monitor_errors_total",
      help: "errors by kind",
      labelNames: ["kind"],
      registers: [this.registry],
    }),
  };

  constructor(o: MonitorOptions) {
    this.o = o;
    this.alerts = new AlertManager(o.store, o.sink);
    this.follower = new EventFollower({
      client: o.client,
      store: o.store,
      addresses: () => o.target.contracts.map((c) => c.address),
      cursorName: `monitor:${o.target.chainId}`,
      fromBlock: o.target.fromBlock,
      reorgDepth: o.reorgDepth ?? 12n,
    });
  }

  get cursor(): bigint | undefined {
    return this.follower.cursor;
  }

  async start(opts: { port?: number } = {}): Promise<string | undefined> {
    if (this.running) return this.server?.url;
    this.running = true;
    if (opts.port !== undefined) this.server = await serveHealth(() => this.health(), this.registry, opts.port);
    this.loop = (async () => {
      while (this.running) {
        await this.tick();
        if (!this.running) break;
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.o.tickMs ?? 2000);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
      }
    })();
    return this.server?.url;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.server?.close();
    this.server = undefined;
  }

  private fail(where: string, err: unknown): void {
    const kind = classify(err);
    this.m.errors.inc({ kind });
    this.lastErrors = [...this.lastErrors.slice(-4), `${where}: ${kind}: ${errorMessage(err)}`];
    (this.o.log ?? (() => undefined))({ level: "warn", msg: "monitor error", where, kind, error: errorMessage(err) });
  }

  /** Fold one log into persisted state (runs inside the follower's store transaction). */
  private handle(l: Log): void {
    const d = decode(l);
    const s = this.o.store;
    this.m.events.inc({ event: d?.name ?? "unknown" });
    if (!d) return;
    const contract = l.address.toLowerCase();
    switch (d.name) {
      case "RoleGranted":
      case "RoleRevoked": {
        const roles = s.getState<RoleGrant[]>("roles", []);
        s.setState(
          "roles",
          applyRoleEvent(roles, {
            contract,
            role: String(d.args.role),
            account: String(d.args.account),
            granted: d.name === "RoleGranted",
          }),
        );
        break;
      }
      case "Paused":
      case "Unpaused":
      case "Upgraded":
      case "AdminChanged":
      case "DiamondCut":
      case "VaultSet": {
        const pending = s.getState<AdminEvent[]>("adminPending", []);
        const detail =
          d.name === "Upgraded"
            ? `implementation ${String(d.args.implementation)}`
            : d.name === "VaultSet"
              ? `vault ${String(d.args.oldVault)} -> ${String(d.args.newVault)}`
              : undefined;
        pending.push({
          contract,
          name: d.name,
          block: Number(l.blockNumber),
          txHash: l.transactionHash!,
          ...(detail ? { detail } : {}),
        });
        s.setState("adminPending", pending);
        break;
      }
      case "LiquidationPenaltyCharged":
      case "UserLiquidated": {
        const txs = s.getState<string[]>("liqTxPending", []);
        if (!txs.includes(l.transactionHash!)) s.setState("liqTxPending", [...txs, l.transactionHash!]);
        break;
      }
    }
  }

  /** One pass: events, rules, alert delivery. Never throws. */
  async tick(): Promise<void> {
    this.ticks += 1;
    const s = this.o.store;
    const t = this.o.target;
    try {
      this.head = await this.o.client.getBlockNumber({ cacheTime: 0 });
      // History before the monitor's first run (deployment: proxy init, diamond cuts) builds state
      // (roles, pauses) but raises no one-off alert.
      if (s.getState<string | null>("baselineBlock", null) === null) s.setState("baselineBlock", this.head.toString());
      const r = await this.follower.step((l) => this.handle(l));
      if (r) this.m.lag.set(Number(this.head - r.to));
    } catch (err) {
      this.fail("events", err);
    }
    try {
      this.alerts.standing(
        "roles",
        unexpectedRoleHolders(s.getState<RoleGrant[]>("roles", []), t.roleSpec, t.roleNames),
      );
      const adm = adminChanges(
        s.getState<AdminEvent[]>("adminPending", []),
        s.getState<Record<string, boolean>>("paused", {}),
      );
      s.tx(() => {
        s.setState("paused", adm.paused);
        s.setState("adminPending", []);
      });
      const baseline = Number(s.getState<string>("baselineBlock", "0"));
      this.alerts.events(adm.alerts.filter((a) => a.rule === "upgrade" && Number(a.data.block) > baseline));
      this.alerts.standing(
        "paused",
        adm.alerts.filter((a) => a.rule === "paused"),
      );
    } catch (err) {
      this.fail("rules", err);
    }
    try {
      const pending = s.getState<string[]>("liqTxPending", []);
      const txs = await mapLimit(pending, 8, async (h) => {
        const r = await this.o.client.getTransactionReceipt({ hash: h as `0x${string}` });
        return { txHash: h, book: r.to ?? "", gasUsed: r.gasUsed, block: Number(r.blockNumber) };
      });
      this.alerts.events(liquidationOverBudget(txs, t.gasBudget));
      s.setState("liqTxPending", []);
    } catch (err) {
      this.fail("liquidation-gas", err);
    }
    if ((this.ticks - 1) % (this.o.checkEvery ?? 1) === 0) await this.chainChecks();
    try {
      await this.alerts.deliver();
    } catch (err) {
      this.fail("deliver", err);
    }
    this.m.alerts.set(this.alerts.active().length);
    this.lastTickAt = Date.now();
  }

  private chainChecks(): Promise<void> {
    return chainChecks({
      client: this.o.client,
      target: this.o.target,
      store: this.o.store,
      alerts: this.alerts,
      head: this.head,
      ...(this.o.maxLiquidatableBlocks === undefined ? {} : { maxLiquidatableBlocks: this.o.maxLiquidatableBlocks }),
      fail: (where, err) => this.fail(where, err),
    });
  }

  health(): HealthReport {
    return {
      ok: this.running && this.lastErrors.length < 5,
      running: this.running,
      ticks: this.ticks,
      head: this.head.toString(),
      cursor: this.cursor?.toString() ?? null,
      lastTickAt: this.lastTickAt ? new Date(this.lastTickAt).toISOString() : null,
      activeAlerts: this.alerts.active(),
      lastErrors: this.lastErrors,
    };
  }
}
