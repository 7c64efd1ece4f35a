// The journal engine. For every transaction step: recognise from chain state whether it is already
// done; otherwise journal (step, sender, nonce, fingerprint) durably, send with exactly that nonce,
// journal the hash, wait for the receipt, journal completion. On resume a step journaled as
// "sending" is either found done on chain, still in flight (waited for), or re-sent with the SAME
// nonce, so a transaction can never execute twice. `--plan` runs none of it; `--safe` turns admin
// steps into a Safe Transaction Builder batch and verifies the multisig's work on the next run.
import { getAddress, getContractAddress, keccak256, stringToHex } from "viem";
import type { Address, Hex } from "viem";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import { describeTx, fingerprint, stableStringify, txData } from "./describe.ts";
import { Journal } from "./journal.ts";
import type { StepState } from "./journal.ts";
import { buildSafeBatch, writeSafeBatch } from "./safe.ts";
import type { PlannedTx, RunResult, Runbook, Sender, Step, StepContext, TxStep } from "./types.ts";
import type { PublicClient } from "viem";

/** Points where a test harness may "kill" the process (by throwing from `hooks.at`). */
export type KillPoint = "before-send" | "after-send" | "after-done" | "after-local";

export type RunOptions = {
  client: PublicClient;
  chainId: number;
  journalFile: string;
  wallet?: Sender;
  /** Admin account for `admin` steps; with `safe` this is the Safe. Defaults to the signer. */
  safe?: Address;
  /** Where Safe batch files go (default: next to the journal). */
  safeBatchFile?: string;
  /** At most this many transactions per Safe batch (1,000 books = 20 batches of 50). */
  maxBatch?: number;
  plan?: boolean;
  confirmations?: number;
  /** Replace a transaction not mined after this long with higher fees (default 3 min, at most maxBumps = 4). */
  bumpAfterMs?: number;
  maxBumps?: number;
  /** Poll interval and limit while waiting for a journaled in-flight transaction. */
  pendingPollMs?: number;
  pendingTimeoutMs?: number;
  hooks?: { at?(point: KillPoint, stepId: string): void };
  log?: (line: string) => void;
};

export function paramsHash(rb: Runbook): string {
  return keccak256(stringToHex(stableStringify({ name: rb.name, params: rb.params })));
}

function assertUniqueIds(rb: Runbook): void {
  const seen = new Set<string>();
  for (const s of rb.steps) {
    if (seen.has(s.id)) throw new DexetraError(ErrorCodes.INTERNAL, `runbook ${rb.name}: duplicate step id ${s.id}`);
    seen.add(s.id);
  }
}

export async function runRunbook(rb: Runbook, opts: RunOptions): Promise<RunResult> {
  assertUniqueIds(rb);
  let journal = Journal.load(opts.journalFile);
  if (opts.plan) return planRunbook(rb, opts, journal);
  if (!opts.wallet) {
    throw new DexetraError(ErrorCodes.NO_SIGNER, `runbook ${rb.name} sends transactions and no signer is configured`, {
      hint: "Set DEXETRA_PRIVATE_KEY or pass --keystore <file> (password in DEXETRA_KEYSTORE_PASSWORD), or use --plan.",
    });
  }
  const hash = paramsHash(rb);
  const started = journal.started;
  if (started && journal.completed) {
    journal.archive();
    journal = new Journal(opts.journalFile, []);
  } else if (started && (started.runbook !== rb.name || started.paramsHash !== hash)) {
    throw new DexetraError(
      ErrorCodes.JOURNAL_CONFLICT,
      `${opts.journalFile} holds an unfinished "${started.runbook}" run with other parameters`,
      {
        hint: "Finish that run with its original arguments (or move the journal aside after checking the chain by hand).",
      },
    );
  }
  if (!journal.started)
    journal.append({ t: "run-start", runbook: rb.name, paramsHash: hash, at: new Date().toISOString() });

  const log = opts.log ?? (() => {});
  const wallet = opts.wallet;
  const ctx: StepContext = {
    client: opts.client,
    outputs: journal.outputs(),
    signer: wallet.account.address,
    admin: opts.safe ?? wallet.account.address,
    planning: false,
    log,
    txOf: (id) => journal.step(id).done?.hash,
    stepDone: (id) => journal.step(id).done !== undefined,
  };
  const result: RunResult = {
    status: "completed",
    journal: opts.journalFile,
    outputs: ctx.outputs,
    sent: [],
    recognised: [],
  };

  for (let i = 0; i < rb.steps.length; i++) {
    const step = rb.steps[i]!;
    const st = journal.step(step.id);
    if (step.kind === "local") {
      if (st.done && !step.always) continue;
      const out = (await step.run(ctx)) ?? undefined;
      if (out) Object.assign(ctx.outputs, out);
      journal.append({ t: "done", id: step.id, via: "local", ...(out ? { output: out } : {}) });
      opts.hooks?.at?.("after-local", step.id);
      continue;
    }
    if (st.done) continue;
    const outcome = await runTxStep(step, st, journal, ctx, opts, wallet);
    if (outcome === "sent") {
      const d = journal.step(step.id).done!;
      result.sent.push({ id: step.id, hash: d.hash as Hex, gasUsed: d.gasUsed ?? "0" });
    } else if (outcome === "recognised") {
      result.recognised.push(step.id);
    } else if (outcome === "safe") {
      const file = await writeBatch(rb, i, journal, ctx, opts);
      return { ...result, status: "awaiting-safe", safeBatch: file };
    }
  }
  journal.append({ t: "run-complete", at: new Date().toISOString() });
  return result;
}

type Outcome = "sent" | "recognised" | "safe";

async function markDone(
  journal: Journal,
  ctx: StepContext,
  step: TxStep,
  via: "chain-state" | "reused" | "safe",
  addr?: string,
): Promise<Outcome> {
  const output = step.output && addr ? { [step.output]: addr } : undefined;
  if (output) Object.assign(ctx.outputs, output);
  journal.append({ t: "done", id: step.id, via, ...(output ? { output } : {}) });
  return "recognised";
}

async function runTxStep(
  step: TxStep,
  st: StepState,
  journal: Journal,
  ctx: StepContext,
  opts: RunOptions,
  wallet: Sender,
): Promise<Outcome> {
  const client = opts.client;
  const from = wallet.account.address;

  // Reuse what exists (idempotent deploy): verified to have code, never redeployed.
  if (step.existing) {
    const addr = await step.existing(ctx);
    if (addr) {
      const code = await client.getCode({ address: addr });
      if (!code || code === "0x") {
        throw new DexetraError(
          ErrorCodes.STEP_FAILED,
          `${step.id}: recorded address ${addr} has no code on this chain`,
          {
            hint: "The record does not match the chain (wrong --network?).",
          },
        );
      }
      return markDone(journal, ctx, step, "reused", addr);
    }
  }

  // A journaled hash: wait for it.
  if (st.hash) {
    const receipt = await client.getTransactionReceipt({ hash: st.hash as Hex }).catch(() => undefined);
    if (receipt?.status === "success") {
      const addr = receipt.contractAddress ? getAddress(receipt.contractAddress) : undefined;
      const output = step.output && addr ? { [step.output]: addr } : undefined;
      if (output) Object.assign(ctx.outputs, output);
      journal.append({
        t: "done",
        id: step.id,
        via: "tx",
        hash: st.hash,
        gasUsed: receipt.gasUsed.toString(),
        ...(output ? { output } : {}),
      });
      return "sent";
    }
  }

  let nonce: number | undefined;
  if (st.sending) {
    const candidate = st.sending.predicted as Address | undefined;
    if (await step.isDone(ctx, candidate)) return markDone(journal, ctx, step, "chain-state", candidate);
    nonce = await resolveJournaledNonce(step, st.sending.nonce, st.sending.from as Address, ctx, opts);
    if (nonce === -1) return markDone(journal, ctx, step, "chain-state", candidate);
  } else if (await step.isDone(ctx)) {
    // Done by hand (or by an earlier tool): recognised, not repeated.
    return markDone(journal, ctx, step, "chain-state");
  }

  if (step.sender === "admin" && opts.safe) {
    const batch = journal.lastSafeBatch();
    if (batch?.ids.includes(step.id)) {
      throw new DexetraError(
        ErrorCodes.AWAITING_SAFE,
        `step ${step.id} is in the Safe batch ${batch.file} and the multisig has not executed it yet`,
        { hint: "Execute the batch in the Safe Transaction Builder, then run the same command again." },
      );
    }
    return "safe";
  }

  const req = await step.build(ctx);
  const fp = fingerprint(req);
  if (st.sending && st.sending.fingerprint !== fp && nonce === st.sending.nonce) {
    throw new DexetraError(ErrorCodes.JOURNAL_CONFLICT, `step ${step.id} changed since it was journaled`, {
      hint: "Inputs changed between runs; rerun with the original record and arguments.",
    });
  }
  if (nonce === undefined) nonce = await client.getTransactionCount({ address: from, blockTag: "pending" });
  const predicted = req.kind === "deploy" ? getContractAddress({ from, nonce: BigInt(nonce) }) : undefined;
  journal.append({ t: "sending", id: step.id, from, nonce, fingerprint: fp, ...(predicted ? { predicted } : {}) });
  opts.hooks?.at?.("before-send", step.id);
  const d = describeTx(req);
  ctx.log(`  send ${step.id}: ${d.function} on ${d.target}`);
  let hash: Hex;
  let fees = await client.estimateFeesPerGas().catch(() => undefined);
  const send = (f: typeof fees) =>
    wallet.sendTransaction({
      account: wallet.account,
      chain: wallet.chain ?? null,
      ...(req.kind === "call" ? { to: req.to } : {}),
      data: txData(req),
      value: req.kind === "call" ? (req.value ?? 0n) : 0n,
      nonce,
      ...(f?.maxFeePerGas !== undefined
        ? { maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas }
        : {}),
    } as never);
  try {
    hash = await send(fees);
  } catch (cause) {
    throw new DexetraError(
      ErrorCodes.STEP_FAILED,
      `step ${step.id} (${d.function} on ${d.target}) was refused: ${shortCause(cause)}`,
      {
        cause,
      },
    );
  }
  opts.hooks?.at?.("after-send", step.id);
  journal.append({ t: "sent", id: step.id, hash });
  // Ignition's policy: a transaction not mined after `bumpAfterMs` is replaced (same nonce) with
  // fees raised by 15 %, at most `maxBumps` times; every replacement hash is journaled.
  const hashes: Hex[] = [hash];
  let receipt: Awaited<ReturnType<typeof client.waitForTransactionReceipt>> | undefined;
  for (let bumps = 0; !receipt; ) {
    try {
      receipt = await client.waitForTransactionReceipt({
        hash: hashes.at(-1)!,
        confirmations: opts.confirmations ?? 1,
        timeout: opts.bumpAfterMs ?? 180_000,
      });
    } catch (e) {
      if ((e as { name?: string }).name !== "WaitForTransactionReceiptTimeoutError") throw e;
      for (const h of hashes) {
        const r = await client.getTransactionReceipt({ hash: h }).catch(() => undefined);
        if (r) receipt = r;
      }
      if (receipt) break;
      if (bumps >= (opts.maxBumps ?? 4) || fees?.maxFeePerGas === undefined) {
        throw new DexetraError(
          ErrorCodes.STEP_FAILED,
          `step ${step.id}: nonce ${nonce} not mined after ${bumps} fee bump(s)`,
          {
            hint: "The journal has every hash; run the command again to keep waiting or to re-check the chain.",
          },
        );
      }
      const now = await client.estimateFeesPerGas().catch(() => fees);
      const up = (a: bigint | undefined, b: bigint | undefined) => {
        const bumped = ((a ?? 0n) * 115n) / 100n + 1n;
        return b !== undefined && b > bumped ? b : bumped;
      };
      fees = {
        maxFeePerGas: up(fees.maxFeePerGas, now?.maxFeePerGas),
        maxPriorityFeePerGas: up(fees.maxPriorityFeePerGas, now?.maxPriorityFeePerGas),
      } as typeof fees;
      const h = await send(fees);
      bumps++;
      ctx.log(`  bump ${step.id}: not mined, replaced with higher fees (${bumps}/${opts.maxBumps ?? 4}) ${h}`);
      journal.append({ t: "sent", id: step.id, hash: h });
      hashes.push(h);
    }
  }
  hash = receipt.transactionHash;
  if (receipt.status !== "success") {
    throw new DexetraError(ErrorCodes.TX_REVERTED, `step ${step.id}: transaction ${hash} reverted`, {
      details: { hash },
    });
  }
  const addr = receipt.contractAddress ? getAddress(receipt.contractAddress) : undefined;
  const output = step.output && addr ? { [step.output]: addr } : undefined;
  if (output) Object.assign(ctx.outputs, output);
  journal.append({
    t: "done",
    id: step.id,
    via: "tx",
    hash,
    gasUsed: receipt.gasUsed.toString(),
    ...(output ? { output } : {}),
  });
  opts.hooks?.at?.("after-done", step.id);
  return "sent";
}

/**
 * A step was journaled with nonce N but its effect is not on chain. If N is still free, reuse it
 * (a replacement can never execute twice). If a tx with N is in the mempool, wait for it and
 * re-check (returns -1 when it turned out done). If N was consumed without the effect, the tx
 * reverted or the nonce went elsewhere: take a fresh nonce.
 */
async function resolveJournaledNonce(
  step: TxStep,
  n: number,
  from: Address,
  ctx: StepContext,
  opts: RunOptions,
): Promise<number | undefined> {
  const deadline = Date.now() + (opts.pendingTimeoutMs ?? 600_000);
  for (;;) {
    const latest = await ctx.client.getTransactionCount({ address: from, blockTag: "latest" });
    if (latest > n) {
      if (await step.isDone(ctx)) return -1;
      ctx.log(`  warn ${step.id}: nonce ${n} was used but the effect is absent; sending again with a new nonce`);
      return undefined;
    }
    const pending = await ctx.client.getTransactionCount({ address: from, blockTag: "pending" });
    if (pending <= n) return n;
    if (Date.now() > deadline) {
      throw new DexetraError(ErrorCodes.STEP_FAILED, `step ${step.id}: nonce ${n} still pending after timeout`);
    }
    await new Promise((r) => setTimeout(r, opts.pendingPollMs ?? 2_000));
  }
}

function shortCause(cause: unknown): string {
  const e = cause as { shortMessage?: string; message?: string };
  return e.shortMessage ?? e.message ?? String(cause);
}

/** Collect the contiguous admin steps from `start` that are not done into one Safe batch. */
async function writeBatch(
  rb: Runbook,
  start: number,
  journal: Journal,
  ctx: StepContext,
  opts: RunOptions,
): Promise<string> {
  const ids: string[] = [];
  const txs: { to: Address; data: Hex; value: bigint }[] = [];
  const lines: string[] = [];
  for (let i = start; i < rb.steps.length; i++) {
    const s = rb.steps[i]!;
    if (s.kind !== "tx" || s.sender !== "admin" || ids.length >= (opts.maxBatch ?? 50)) break;
    if (i > start && (await s.isDone(ctx))) continue;
    const req = await s.build(ctx);
    if (req.kind !== "call") break;
    ids.push(s.id);
    txs.push({ to: req.to, data: txData(req), value: req.value ?? 0n });
    const d = describeTx(req);
    lines.push(`${ids.length}. ${d.function}(${d.args}) on ${d.target}: ${s.reason}`);
  }
  const batch = buildSafeBatch({
    chainId: opts.chainId,
    safe: opts.safe!,
    owner: ctx.signer,
    name: `dexetra ${rb.name}`,
    description: lines.join("\n"),
    txs,
  });
  const file =
    opts.safeBatchFile ??
    opts.journalFile.replace(/\.jsonl$/, "") +
      `.safe-${journal.events.filter((e) => e.t === "safe-batch").length + 1}.json`;
  writeSafeBatch(file, batch);
  journal.append({ t: "safe-batch", ids, file, checksum: batch.meta.checksum! });
  ctx.log(`  wrote Safe batch ${file} (${ids.length} transactions)`);
  return file;
}

async function planRunbook(rb: Runbook, opts: RunOptions, journal: Journal): Promise<RunResult> {
  const signer = opts.wallet?.account.address;
  const ctx: StepContext = {
    client: opts.client,
    outputs: journal.outputs(),
    signer: signer ?? (("0x" + "0".repeat(40)) as Address),
    admin: opts.safe ?? signer ?? (("0x" + "0".repeat(40)) as Address),
    planning: true,
    log: opts.log ?? (() => {}),
    txOf: () => undefined,
    stepDone: (id) => journal.step(id).done !== undefined,
  };
  let nonce = signer ? await opts.client.getTransactionCount({ address: signer, blockTag: "pending" }) : 0;
  const plan: PlannedTx[] = [];
  for (const step of rb.steps) {
    if (step.kind === "local") {
      plan.push({
        id: step.id,
        status: "local",
        sender: "-",
        target: "-",
        function: "-",
        args: "-",
        reason: step.reason,
      });
      continue;
    }
    if (journal.step(step.id).done) {
      plan.push({
        id: step.id,
        status: "done",
        sender: step.sender,
        target: "-",
        function: "-",
        args: "-",
        reason: step.reason,
      });
      continue;
    }
    const reuse = step.existing ? await step.existing(ctx).catch(() => undefined) : undefined;
    if (reuse) {
      if (step.output) ctx.outputs[step.output] = reuse;
      plan.push({
        id: step.id,
        status: "reuse",
        sender: step.sender,
        target: reuse,
        function: "-",
        args: "-",
        reason: step.reason,
      });
      continue;
    }
    const done = await step.isDone(ctx).catch(() => false);
    const req = await step.build(ctx);
    const d = describeTx(req);
    if (!done && req.kind === "deploy" && step.output) {
      ctx.outputs[step.output] = signer
        ? getContractAddress({ from: signer, nonce: BigInt(nonce) })
        : `<${step.output}>`;
    }
    if (!done && (step.sender === "signer" || !opts.safe)) nonce++;
    plan.push({ id: step.id, status: done ? "done" : "pending", sender: step.sender, ...d, reason: step.reason });
  }
  return { status: "planned", journal: opts.journalFile, outputs: ctx.outputs, sent: [], recognised: [], plan };
}
