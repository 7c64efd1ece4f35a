// The liquidation keeper. Every tick: resolve in-flight transactions, then per market (each in its
// own try/catch, so one failing market or RPC error never stops the loop) screen the vault's index
// at the current mark, send `liquidateUser` for the worst accounts first, poke on schedule and on
// price moves, and settle accrued maker rewards. All work is a job claimed in the shared store.
import { encodeFunctionData, type LocalAccount, type PublicClient } from "viem";
import { randomUUID } from "node:crypto";
import { orderBookAbi, vaultAbi } from "./abi.ts";
import { classify, errorMessage, KeeperError, type ErrorKind } from "./errors.ts";
import { createKeeperMetrics, type KeeperMetrics } from "./metrics.ts";
import { serveHealth, type HealthReport, type WorkerServer } from "./health.ts";
import { liquidationJobKey, moveBps, pokeJobKey, screenMarket, type ScreenOptions } from "./screen.ts";
import { TxSender } from "./sender.ts";
import type { KeeperStore } from "./store.ts";
import { liquidatorRewardOwed, RewardSettler, type RewardPlanner } from "./rewards.ts";
import { closesNothing, JobRunner, pokesNobody, recoversNothing } from "./jobs.ts";
import { planSocialization, socializeJobKey } from "./socialize.ts";

export type KeeperOptions = {
  client: PublicClient;
  chainId: number;
  vault: `0x${string}`;
  accounts: LocalAccount[];
  store: KeeperStore;
  /** Owner id in the store; unique per running instance. */
  id?: string;
  gasBudget?: bigint;
  tickMs?: number;
  pokeIntervalMs?: number;
  /** A mark move of at least this many bps since the last poke triggers one now. */
  priceMoveBps?: bigint;
  leaseMs?: number;
  /** A dropped job (its simulation reverted) may be tried again after this long. */
  retryAfterMs?: number;
  maxLiquidationsPerMarketTick?: number;
  maxPendingPerLane?: number;
  stuckMs?: number;
  screen?: ScreenOptions;
  rewards?: { planner: RewardPlanner; fromBlock?: bigint; confirmations?: bigint } | false;
  /**
   * Claim our deferred liquidator rewards (claimLiquidatorReward) once a signer is owed at least
   * this much on a book (USDC, 6 decimals; default 10 USDC); false = never claim.
   */
  claimLiquidatorRewardMin?: bigint | false;
  /** Recover market deficits from open profit (socializeDeficit); on unless false. */
  socialize?: boolean;
  /** Candidates per socializeDeficit transaction (at most the book's maxPage). */
  socializePage?: number;
  metrics?: KeeperMetrics;
  log?: (rec: Record<string, unknown>) => void;
};

export type MarketState = {
  marketId: `0x${string}`;
  book: `0x${string}`;
  lastMark: bigint;
  lastPokeAt: number;
  lastScreenAt: number;
  lastScreenBlock: bigint;
  atRisk: number;
  indexed: number;
  lastError?: string;
};

const jsonLog = (rec: Record<string, unknown>) =>
  process.stdout.write(JSON.stringify({ t: new Date().toISOString(), svc: "keeper", ...rec }, big) + "\n");
const big = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

export class Keeper {
  readonly id: string;
  readonly metrics: KeeperMetrics;
  readonly sender: TxSender;
  readonly markets = new Map<string, MarketState>();
  readonly jobs: JobRunner;
  private o: KeeperOptions;
  private log: (rec: Record<string, unknown>) => void;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private server?: WorkerServer;
  private rewards?: RewardSettler;
  private lastTickAt = 0;
  private ticks = 0;
  private consecutiveFailures = 0;
  private lastHead = 0n;

  constructor(o: KeeperOptions) {
    this.o = o;
    this.id = o.id ?? `keeper-${randomUUID()}`;
    this.metrics = o.metrics ?? createKeeperMetrics();
    this.log = o.log ?? jsonLog;
    this.sender = new TxSender({
      client: o.client,
      chainId: o.chainId,
      accounts: o.accounts,
      store: o.store,
      owner: this.id,
      ...(o.gasBudget === undefined ? {} : { gasBudget: o.gasBudget }),
      ...(o.maxPendingPerLane === undefined ? {} : { maxPendingPerLane: o.maxPendingPerLane }),
      ...(o.stuckMs === undefined ? {} : { stuckMs: o.stuckMs }),
    });
    this.jobs = new JobRunner({
      id: this.id,
      client: o.client,
      store: o.store,
      sender: this.sender,
      metrics: this.metrics,
      log: this.log,
      ...(o.leaseMs === undefined ? {} : { leaseMs: o.leaseMs }),
      ...(o.retryAfterMs === undefined ? {} : { retryAfterMs: o.retryAfterMs }),
    });
    if (o.rewards) {
      this.rewards = new RewardSettler({
        client: o.client,
        store: o.store,
        planner: o.rewards.planner,
        fromBlock: o.rewards.fromBlock ?? 0n,
        confirmations: o.rewards.confirmations ?? 0n,
        cursorName: `keeper:rewards:${o.vault.toLowerCase()}`,
      });
    }
  }

  /** Transactions sent per job kind since start. */
  get sentByKind(): JobRunner["sentByKind"] {
    return this.jobs.sentByKind;
  }

  get gasBudget(): bigint {
    return this.sender.gasBudget;
  }

  /** Start the loop (and, with a port, /health and /metrics). Returns the server URL if any. */
  async start(opts: { port?: number } = {}): Promise<string | undefined> {
    if (this.running) return this.server?.url;
    this.running = true;
    if (opts.port !== undefined) this.server = await serveHealth(() => this.health(), this.metrics.registry, opts.port);
    this.loop = this.run();
    this.log({
      level: "info",
      msg: "keeper started",
      id: this.id,
      signers: this.sender.addresses,
      health: this.server?.url,
    });
    return this.server?.url;
  }

  /** Finish the current tick, stop, close the server. In-flight transactions stay journaled for the next start. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.server?.close();
    this.server = undefined;
    const pending = await this.sender.totalPending().catch(() => undefined);
    this.log({ level: "info", msg: "keeper stopped", id: this.id, pending });
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.tick();
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.o.tickMs ?? 1000);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  private fail(where: string, err: unknown): ErrorKind {
    const kind = classify(err);
    this.metrics.errors.inc({ kind });
    this.log({ level: "warn", msg: "keeper error", where, kind, error: errorMessage(err) });
    return kind;
  }

  /** One pass over everything. Never throws. */
  async tick(): Promise<void> {
    this.ticks += 1;
    let failed = false;
    try {
      const replacedBefore = this.sender.replacements;
      await this.jobs.handleOutcomes(await this.sender.poll());
      this.metrics.replacements.inc(this.sender.replacements - replacedBefore);
      for (const err of this.sender.pollErrors) this.fail("poll", err);
      if (this.sender.pollErrors.length) failed = true;
      await this.jobs.reconcile();
    } catch (err) {
      this.fail("poll", err);
      failed = true;
    }
    try {
      if (this.markets.size === 0 || this.ticks % 30 === 0) await this.discover();
    } catch (err) {
      this.fail("discover", err);
      failed = true;
    }
    try {
      this.lastHead = await this.o.client.getBlockNumber({ cacheTime: 0 });
    } catch (err) {
      this.fail("head", err);
      failed = true;
    }
    for (const m of this.markets.values()) {
      try {
        await this.marketTick(m);
        m.lastError = undefined;
      } catch (err) {
        const kind = this.fail(`market ${m.marketId}`, err);
        m.lastError = `${kind}: ${errorMessage(err)}`;
        // Lag: blocks since this market was last screened successfully (grows while it fails).
        if (m.lastScreenBlock > 0n)
          this.metrics.lagBlocks.set({ market: m.marketId }, Number(this.lastHead - m.lastScreenBlock));
        failed = true;
      }
    }
    // Maker rewards wait while accounts are liquidatable: block space goes to liquidations first
    // (a settlement is ~70k gas that no one loses money waiting for).
    const atRisk = [...this.markets.values()].reduce((n, m) => n + m.atRisk, 0);
    if (this.rewards && atRisk === 0) {
      try {
        const r = await this.rewards.step(async (key, book, data) => {
          const from = await this.rewardSigner(book);
          if (!from) return "taken"; // none of our keys may settle this book's rewards
          return this.jobs.submit(key, "reward", book, book, data, from);
        });
        if (r.lastBlock !== undefined)
          this.metrics.lagBlocks.set({ market: "rewards" }, Number(this.lastHead - r.lastBlock));
      } catch (err) {
        this.fail("rewards", err);
        failed = true;
      }
    }
    // Our liquidator shares are owed by each book (a liquidation never credits the keeper's vault
    // balance); claim them in quiet ticks, like maker rewards, once worth the ~60k-gas claim.
    if (this.o.claimLiquidatorRewardMin !== false && atRisk === 0) {
      try {
        await this.claimLiquidatorRewards(this.o.claimLiquidatorRewardMin ?? 10_000_000n);
      } catch (err) {
        this.fail("claim", err);
        failed = true;
      }
    }
    try {
      for (const a of this.sender.addresses)
        this.metrics.pendingTxs.set({ lane: a }, await this.sender.pendingCount(a));
    } catch (err) {
      this.fail("store", err);
      failed = true;
    }
    this.consecutiveFailures = failed ? this.consecutiveFailures + 1 : 0;
    this.lastTickAt = Date.now();
  }

  /** Markets and books from the vault's own registry (the deployment record only names the vault). */
  private async discover(): Promise<void> {
    const read = <T>(functionName: string, args: unknown[]) =>
      this.o.client.readContract({ address: this.o.vault, abi: vaultAbi, functionName, args } as never) as Promise<T>;
    const count = await read<bigint>("getMarketsCount", []);
    for (let off = 0n; off < count; off += 100n) {
      const [ids, books] = await read<[`0x${string}`[], `0x${string}`[]]>("getMarketsPage", [off, 100n]);
      ids.forEach((marketId, i) => {
        const book = books[i]!;
        const prev = this.markets.get(marketId);
        if (prev && prev.book.toLowerCase() === book.toLowerCase()) return;
        this.markets.set(marketId, {
          marketId,
          book,
          lastMark: 0n,
          lastPokeAt: 0,
          lastScreenAt: 0,
          lastScreenBlock: 0n,
          atRisk: 0,
          indexed: 0,
        });
      });
    }
  }

  /** One claimLiquidatorReward per (book, signer) owed at least `min`; the key names the owed total. */
  private async claimLiquidatorRewards(min: bigint): Promise<void> {
    for (const m of this.markets.values()) {
      for (const a of this.sender.addresses) {
        const owed = await liquidatorRewardOwed(this.o.client, m.book, a);
        if (owed === 0n || owed < min) continue;
        const data = encodeFunctionData({ abi: orderBookAbi, functionName: "claimLiquidatorReward" });
        const key = `claim:${m.book.toLowerCase()}:${a.toLowerCase()}:${owed}`;
        const r = await this.jobs.submit(key, "reward", m.marketId, m.book, data, a);
        if (r === "lanes_full") return;
      }
    }
  }

  private rewardKeepers = new Map<string, `0x${string}` | undefined>();

  /** Our signer that the book accepts for settleMakerRewards (its owner-set reward keeper), if any. */
  private async rewardSigner(book: `0x${string}`): Promise<`0x${string}` | undefined> {
    const k = book.toLowerCase();
    if (!this.rewardKeepers.has(k)) {
      const rk = (await this.o.client.readContract({
        address: book,
        abi: orderBookAbi,
        functionName: "rewardKeeper",
      })) as `0x${string}`;
      const ours = this.sender.addresses.find((a) => a.toLowerCase() === rk.toLowerCase());
      if (!ours)
        this.log({
          level: "warn",
          msg: "no signer is this book's reward keeper: rewards left to others",
          book,
          rewardKeeper: rk,
        });
      this.rewardKeepers.set(k, ours);
    }
    return this.rewardKeepers.get(k);
  }

  private async mark(m: MarketState): Promise<bigint> {
    try {
      const p = (await this.o.client.readContract({
        address: m.book,
        abi: orderBookAbi,
        functionName: "calculateMarkPrice",
      })) as bigint;
      if (p > 0n) return p;
    } catch {
      // fall back to the vault's stored mark
    }
    return (await this.o.client.readContract({
      address: this.o.vault,
      abi: vaultAbi,
      functionName: "getMarkPrice",
      args: [m.marketId],
    })) as bigint;
  }

  private async marketTick(m: MarketState): Promise<void> {
    const now = Date.now();
    const mark = await this.mark(m);
    const head = this.lastHead;
    const { candidates, indexed } = await screenMarket(this.o.client, this.o.vault, m.marketId, mark, this.o.screen);
    m.atRisk = candidates.length;
    m.indexed = indexed;
    m.lastScreenAt = now;
    m.lastScreenBlock = head;
    this.metrics.accountsAtRisk.set({ market: m.marketId }, candidates.length);
    this.metrics.lagBlocks.set({ market: m.marketId }, 0);

    let sent = 0;
    const maxPer = this.o.maxLiquidationsPerMarketTick ?? 8;
    // Symmetric to the poke rule below: while a poke of this book is in flight, targeted
    // liquidations wait one block (the poke may take the same accounts).
    const pokeInFlight = await this.jobs.inFlight("poke", m.book);
    for (const c of pokeInFlight ? [] : candidates) {
      if (sent >= maxPer) break;
      const data = encodeFunctionData({ abi: orderBookAbi, functionName: "liquidateUser", args: [c.user] });
      try {
        const r = await this.jobs.submit(
          liquidationJobKey(m.book, c),
          "liquidate",
          m.marketId,
          m.book,
          data,
          undefined,
          closesNothing,
        );
        if (r === "lanes_full") break;
        if (r === "sent") sent += 1;
      } catch (err) {
        // One account's failure (an RPC error mid-send) never stops the others: its job was
        // released (or stays journaled if signed) and is picked up again next tick.
        this.fail(`liquidate ${c.user}`, err);
      }
    }

    const interval = this.o.pokeIntervalMs ?? 15_000;
    const moved = m.lastMark > 0n && moveBps(m.lastMark, mark) >= (this.o.priceMoveBps ?? 50n);
    // A poke while our targeted liquidations of this book are in flight would race them for the
    // same accounts (and one of the two would revert in the block): wait until they landed.
    const busy = sent > 0 || (await this.jobs.inFlight("liq", m.book));
    if (!busy && (now - m.lastPokeAt >= interval || moved)) {
      const key = moved ? `poke:${m.book.toLowerCase()}:mark:${mark}` : pokeJobKey(m.book, now, interval);
      const data = encodeFunctionData({ abi: orderBookAbi, functionName: "pokeLiquidations" });
      // A scheduled poke that would liquidate nobody is dropped (our screen already covers the
      // index); a poke on a price move is sent anyway, it refreshes the mark in the vault.
      const r = await this.jobs.submit(
        key,
        "poke",
        m.marketId,
        m.book,
        data,
        undefined,
        moved ? undefined : pokesNobody,
      );
      if (r !== "lanes_full") {
        m.lastPokeAt = now;
        m.lastMark = mark;
      }
    }
    if (m.lastMark === 0n) m.lastMark = mark;
    // The loss waterfall's last step, once the market has nobody left to liquidate: a deficit
    // insurance could not cover is recovered from open profit, one page of candidates per tx.
    if (candidates.length === 0 && this.o.socialize !== false) await this.socialize(m);
  }

  private async socialize(m: MarketState): Promise<void> {
    if (await this.jobs.inFlight("soc", m.book)) return;
    const page = this.o.socializePage ?? 20; // the book's default maxPage
    const plan = await planSocialization(this.o.client, this.o.vault, m.marketId, page, this.o.screen);
    this.metrics.deficit.set({ market: m.marketId }, Number(plan.deficit));
    if (plan.deficit === 0n || plan.candidates.length === 0) return;
    const data = encodeFunctionData({ abi: orderBookAbi, functionName: "socializeDeficit", args: [plan.candidates] });
    const key = socializeJobKey(m.book, plan.deficit, plan.candidates);
    await this.jobs.submit(key, "socialize", m.marketId, m.book, data, undefined, recoversNothing);
  }

  async health(): Promise<HealthReport> {
    const stale = this.lastTickAt > 0 && Date.now() - this.lastTickAt > 5 * (this.o.tickMs ?? 1000) + 30_000;
    return {
      ok: this.running && !stale && this.consecutiveFailures < 5,
      id: this.id,
      running: this.running,
      ticks: this.ticks,
      lastTickAt: this.lastTickAt ? new Date(this.lastTickAt).toISOString() : null,
      consecutiveFailures: this.consecutiveFailures,
      gasBudget: this.gasBudget.toString(),
      signers: await Promise.all(
        this.sender.addresses.map(async (a) => ({ address: a, pending: await this.sender.pendingCount(a) })),
      ),
      markets: [...this.markets.values()].map((m) => ({
        marketId: m.marketId,
        book: m.book,
        mark: m.lastMark.toString(),
        atRisk: m.atRisk,
        indexed: m.indexed,
        lastError: m.lastError ?? null,
      })),
    };
  }
}

export { KeeperError };
