// The relayer loop: scan each route's source for new messages (cursor + messages persisted
// atomically), then deliver what is due: skip what the destination already consumed, collect
// m-of-n signatures, simulate, send, wait. Refusals are classified: permanent ones are recorded
// as failed with their reason, transient ones retried with exponential backoff up to a cap.
// Exactly-once is the destination's job (it consumes each message id once); the relayer's job is
// at-least-once with no message lost, and it never sends a message the destination already has.
import { type Hex } from "viem";
import { collateralErrorsAbi, hubAbi, spokeAbi, verifierAbi } from "./abi.ts";
import { classify } from "./classify.ts";
import { collectProof, type MessageSigner } from "./signers.ts";
import type { RelayerStore, NewMessage } from "./store.ts";
import { KIND_DEPOSIT, type Route, type TrackedMessage } from "./types.ts";

export type RelayerOptions = {
  routes: Route[];
  signers: MessageSigner[];
  store: RelayerStore;
  pollIntervalMs?: number;
  /** Blocks to wait before a source message counts (reorg safety); 0 on in-process chains. */
  confirmations?: bigint;
  maxBlockRange?: bigint;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  batchSize?: number;
  /** How long to wait for a delivery receipt before treating it as a transient failure. */
  receiptTimeoutMs?: number;
  now?: () => number;
  log?: (line: string) => void;
};

export type RouteHealth = { route: string; cursor: bigint | null; head: bigint | null; lagBlocks: bigint | null };

export type RelayerHealth = {
  running: boolean;
  lastTickAt: number | null;
  lastTickError: string | null;
  delivered: number;
  pending: number;
  failed: number;
  retries: number;
  sent: number;
  routes: RouteHealth[];
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Relayer {
  readonly #o: Required<Omit<RelayerOptions, "log">> & { log: (line: string) => void };
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #lastTickAt: number | null = null;
  #lastTickError: string | null = null;
  #retries = 0;
  #sent = 0;
  readonly #heads = new Map<string, bigint>();

  constructor(opts: RelayerOptions) {
    this.#o = {
      pollIntervalMs: 1_000,
      confirmations: 0n,
      maxBlockRange: 2_000n,
      maxAttempts: 8,
      backoffBaseMs: 1_000,
      backoffMaxMs: 300_000,
      batchSize: 20,
      receiptTimeoutMs: 120_000,
      now: Date.now,
      log: () => {},
      ...opts,
    };
  }

  get store(): RelayerStore {
    return this.#o.store;
  }

  /** Run the loop in the background until `stop()`. One failing route or message never stops it. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        await this.tick();
        if (!this.#running) break;
        await Promise.race([sleep(this.#o.pollIntervalMs), new Promise<void>((r) => (this.#wake = r))]);
      }
    })();
  }

  /** Stop after the current tick; resolves when nothing is in flight any more. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = null;
  }

  get running(): boolean {
    return this.#running;
  }

  /** One pass: scan every route, then deliver every due message. */
  async tick(): Promise<void> {
    let error: string | null = null;
    for (const route of this.#o.routes) {
      try {
        await this.scan(route);
      } catch (e) {
        error = `scan ${route.name}: ${(e as Error).message}`;
        this.#o.log(error);
      }
    }
    try {
      await this.deliverDue();
    } catch (e) {
      error = `deliver: ${(e as Error).message}`;
      this.#o.log(error);
    }
    this.#lastTickAt = this.#o.now();
    this.#lastTickError = error;
  }

  /** Read the next block range of `route`'s source and record its messages with the new cursor. */
  async scan(route: Route): Promise<number> {
    const src = route.source;
    const head = await src.publicClient.getBlockNumber({ cacheTime: 0 });
    this.#heads.set(route.name, head);
    const safe = head - (route.confirmations ?? this.#o.confirmations);
    const from = (this.#o.store.cursor(route.name) ?? route.startBlock - 1n) + 1n;
    if (from > safe) return 0;
    const to = safe < from + this.#o.maxBlockRange - 1n ? safe : from + this.#o.maxBlockRange - 1n;
    const found: NewMessage[] = [];
    const dst = route.destination;
    const logs =
      route.kind === KIND_DEPOSIT
        ? await src.publicClient.getContractEvents({
            address: src.contract,
            abi: spokeAbi,
            eventName: "DepositSent",
            fromBlock: from,
            toBlock: to,
            strict: true,
          })
        : await src.publicClient.getContractEvents({
            address: src.contract,
            abi: hubAbi,
            eventName: "WithdrawalRequested",
            fromBlock: from,
            toBlock: to,
            strict: true,
          });
    for (const log of logs) {
      const m = log.args.message;
      // A hub serves several spokes: this route only carries messages addressed to its destination.
      if (m.dstChainId !== dst.chainId || m.dstContract.toLowerCase() !== dst.contract.toLowerCase()) continue;
      found.push({
        id: log.args.messageId,
        message: { ...m, kind: Number(m.kind) },
        srcBlock: log.blockNumber,
        srcTx: log.transactionHash,
      });
    }
    const added = this.#o.store.recordScan(route.name, to, found, this.#o.now());
    if (added > 0) this.#o.log(`${route.name}: ${added} new message(s) in blocks ${from}..${to}`);
    return added;
  }

  /** Deliver every message whose next attempt is due. */
  async deliverDue(): Promise<void> {
    const routes = new Map(this.#o.routes.map((r) => [r.name, r]));
    for (const tracked of this.#o.store.due(this.#o.now(), this.#o.batchSize)) {
      const route = routes.get(tracked.route);
      if (!route) continue; // a route removed from config keeps its messages for an operator
      await this.deliver(route, tracked);
    }
  }

  async deliver(route: Route, tracked: TrackedMessage): Promise<void> {
    const dst = route.destination;
    const store = this.#o.store;
    const abi = [...(route.kind === KIND_DEPOSIT ? hubAbi : spokeAbi), ...collateralErrorsAbi];
    const functionName = route.kind === KIND_DEPOSIT ? "receiveDeposit" : "receiveWithdrawal";
    try {
      // The destination is the source of truth: after a crash between send and record, the
      // message is found consumed here and marked delivered without a second transaction.
      const done = await dst.publicClient.readContract({
        address: dst.contract,
        abi: hubAbi,
        functionName: "isProcessed",
        args: [tracked.id],
      });
      if (done) {
        store.markDelivered(tracked.id, tracked.deliveryTx, this.#o.now());
        return;
      }
      const threshold = await dst.publicClient.readContract({
        address: dst.verifier,
        abi: verifierAbi,
        functionName: "threshold",
      });
      const proof = await collectProof(this.#o.signers, route, tracked, Number(threshold));
      const args = [{ ...tracked.message }, proof] as const;
      const { request } = await dst.publicClient.simulateContract({
        address: dst.contract,
        abi,
        functionName,
        args,
        account: dst.walletClient.account,
      } as never);
      const hash = await dst.walletClient.writeContract(request as never);
      this.#sent += 1;
      store.markSending(tracked.id, hash, this.#o.now());
      // A dropped transaction times out here and is retried; the isProcessed check above and
      // the destination's consumed set make a late landing of the first one harmless.
      const receipt = await dst.publicClient.waitForTransactionReceipt({
        hash,
        timeout: this.#o.receiptTimeoutMs,
      });
      if (receipt.status !== "success") throw new Error(`delivery ${hash} reverted`);
      store.markDelivered(tracked.id, hash, this.#o.now());
      this.#o.log(`${route.name}: delivered ${tracked.id} (nonce ${tracked.message.nonce}) in ${hash}`);
    } catch (e) {
      this.#onFailure(route, tracked, e);
    }
  }

  #onFailure(route: Route, tracked: TrackedMessage, e: unknown): void {
    const store = this.#o.store;
    const now = this.#o.now();
    const verdict = classify(e);
    const attempts = tracked.attempts + 1;
    if (verdict.outcome === "already") {
      store.markDelivered(tracked.id, tracked.deliveryTx, now);
    } else if (verdict.outcome === "permanent") {
      store.markFailed(tracked.id, attempts, `refused: ${verdict.reason}`, now);
      this.#o.log(`${route.name}: ${tracked.id} refused for good: ${verdict.reason}`);
    } else if (attempts >= this.#o.maxAttempts) {
      store.markFailed(tracked.id, attempts, `gave up after ${attempts} attempts: ${verdict.reason}`, now);
      this.#o.log(`${route.name}: ${tracked.id} gave up: ${verdict.reason}`);
    } else {
      const backoff = Math.min(this.#o.backoffBaseMs * 2 ** (attempts - 1), this.#o.backoffMaxMs);
      store.markRetry(tracked.id, attempts, now + backoff, verdict.reason, now);
      this.#retries += 1;
      this.#o.log(`${route.name}: ${tracked.id} retry #${attempts} in ${backoff} ms: ${verdict.reason}`);
    }
  }

  /** Counters for /health: durable ones from the store, session ones from memory. */
  health(): RelayerHealth {
    const c = this.#o.store.counts();
    return {
      running: this.#running,
      lastTickAt: this.#lastTickAt,
      lastTickError: this.#lastTickError,
      delivered: c.delivered,
      pending: c.pending,
      failed: c.failed,
      retries: this.#retries,
      sent: this.#sent,
      routes: this.#o.routes.map((r) => {
        const cursor = this.#o.store.cursor(r.name) ?? null;
        const head = this.#heads.get(r.name) ?? null;
        const lagBlocks = head === null ? null : head - (cursor ?? r.startBlock - 1n);
        return { route: r.name, cursor, head, lagBlocks };
      }),
    };
  }

  /** Operator action: retry a failed message. */
  requeue(id: Hex): boolean {
    return this.#o.store.requeue(id, this.#o.now());
  }
}
