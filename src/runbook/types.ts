// A runbook is an ordered list of steps. Transaction steps know how to build their transaction and
// how to recognise from chain state that their effect is already there (done by an earlier run,
// by hand, or by a multisig), so the engine can resume without repeating or skipping anything.
import type { Abi, Address, Hex, PublicClient, WalletClient, Account, Chain, Transport } from "viem";

export type CallRequest = {
  kind: "call";
  to: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
};

export type DeployRequest = {
  kind: "deploy";
  artifact: string;
  abi: Abi;
  bytecode: Hex;
  args: readonly unknown[];
};

export type TxRequest = CallRequest | DeployRequest;

export type StepContext = {
  client: PublicClient;
  /** Outputs of earlier steps by key (deployed addresses, values a local step returned). */
  outputs: Record<string, string>;
  /** The account that sends `signer` steps. */
  signer: Address;
  /** The account whose privileges `admin` steps need (a Safe with --safe, else the signer). */
  admin: Address;
  /** True while planning: outputs of pending deploys are predicted addresses without code. */
  planning: boolean;
  log(line: string): void;
  /** Transaction hash that completed a step in this run's journal (undefined if recognised/reused). */
  txOf(stepId: string): string | undefined;
  /** The step completed earlier in this run (journaled done). False while planning. */
  stepDone(stepId: string): boolean;
};

type StepBase = {
  /** Stable and unique within the runbook, e.g. `grant:ORDERBOOK_ROLE:0xabc…`. */
  id: string;
  /** Why this step exists, in the operator's words (shown in plans and Safe batches). */
  reason: string;
};

export type TxStep = StepBase & {
  kind: "tx";
  /** `admin` steps go into the Safe batch when --safe is given. Deploys are always `signer`. */
  sender: "signer" | "admin";
  /** For deploys: the output key the deployed address is stored under. */
  output?: string;
  build(ctx: StepContext): TxRequest | Promise<TxRequest>;
  /** Chain state already has this step's effect. Deploys get the candidate address to check. */
  isDone(ctx: StepContext, candidate?: Address): Promise<boolean>;
  /** Deploys: an existing deployment to verify and reuse instead of deploying (idempotent deploy). */
  existing?(ctx: StepContext): Promise<Address | undefined>;
};

export type LocalStep = StepBase & {
  kind: "local";
  /** Re-run on every resume (preflight and validation checks); otherwise run once. Must be idempotent. */
  always?: boolean;
  /** Skipped while planning (it would read state that pending steps create). */
  run(ctx: StepContext): Promise<Record<string, string> | void>;
};

export type Step = TxStep | LocalStep;

export type Runbook = {
  name: string;
  /** Inputs that define the run; a journal started with other params is refused. */
  params: Record<string, unknown>;
  steps: Step[];
};

export type Sender = WalletClient<Transport, Chain | undefined, Account>;

export type PlannedTx = {
  id: string;
  status: "done" | "pending" | "reuse" | "local";
  sender: "signer" | "admin" | "-";
  target: string;
  function: string;
  args: string;
  reason: string;
};

export type RunResult = {
  status: "completed" | "planned" | "awaiting-safe";
  journal: string;
  outputs: Record<string, string>;
  sent: { id: string; hash: Hex; gasUsed: string }[];
  recognised: string[];
  plan?: PlannedTx[];
  safeBatch?: string;
};
