// What every command gets: parsed global flags, the chain (connected lazily), the record for the
// network (checked against the chain id), the signer (checked before anything is sent), output.
import { getAddress, isAddress } from "viem";
import type { Address } from "viem";
import { connectNetwork, makeWallet, signerKey } from "../chain/connect.ts";
import type { ChainConn } from "../chain/connect.ts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import { readOrCreateRecord, readRecord, recordPath, writeRecord } from "../config/record.ts";
import type { DeploymentRecord } from "../config/schema.ts";
import type { KillPoint } from "../runbook/engine.ts";
import type { Sender } from "../runbook/types.ts";

export type GlobalOpts = {
  network: string;
  json: boolean;
  plan: boolean;
  safe?: string;
  keystore?: string;
  confirmations?: string;
};

export type CliIO = {
  stdout(s: string): void;
  stderr(s: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Pre-opened chains by network name (tests and the demo share one in-process chain). */
  conns?: Record<string, ChainConn>;
  /** Kill-point hook passed to runbooks (tests). */
  hooks?: { at?(point: KillPoint, stepId: string): void };
};

export class Ctx {
  readonly g: GlobalOpts;
  readonly io: CliIO;
  private _conn: ChainConn | undefined;
  private _opened = false;

  constructor(g: GlobalOpts, io: CliIO) {
    this.g = g;
    this.io = io;
  }

  get network(): string {
    return this.g.network;
  }

  get recordFile(): string {
    return recordPath(this.io.cwd, this.network, this.io.env);
  }

  journalFile(runbook: string): string {
    return this.recordFile.replace(/\.json$/, `.${runbook}.journal.jsonl`);
  }

  /** Progress lines go to stderr so --json output on stdout stays machine-readable. */
  progress(line: string): void {
    this.io.stderr(line + "\n");
  }

  /** --safe, validated: a malformed address is refused naming the flag. */
  get safe(): Address | undefined {
    return this.g.safe === undefined ? undefined : parseAddress("--safe", this.g.safe);
  }

  get confirmations(): number | undefined {
    if (this.g.confirmations === undefined) return undefined;
    const n = Number(this.g.confirmations);
    if (!Number.isInteger(n) || n < 1)
      throw new DexetraError(ErrorCodes.BAD_FLAG, `--confirmations must be a positive integer`);
    return n;
  }

  /**
   * Refuse early when this command will send and no key is configured. Reads the key source only;
   * the chain is not contacted yet.
   */
  requireSignerSource(): void {
    if (this.g.plan) return;
    const { key } = signerKey({ env: this.io.env, ...(this.g.keystore ? { keystore: this.g.keystore } : {}) });
    const inProcess = ["hub", "hubBig", "spoke"].includes(this.network);
    if (!key && !inProcess) {
      throw new DexetraError(
        ErrorCodes.NO_SIGNER,
        `no signer for --network ${this.network}: this command sends transactions`,
        {
          hint: "Set DEXETRA_PRIVATE_KEY, or pass --keystore <file> with DEXETRA_KEYSTORE_PASSWORD; or add --plan to only print the plan.",
        },
      );
    }
  }

  async conn(): Promise<ChainConn> {
    if (this._conn) return this._conn;
    const pre = this.io.conns?.[this.network];
    if (pre) this._conn = pre;
    else {
      this._conn = await connectNetwork(this.network, this.io.env);
      this._opened = true;
    }
    return this._conn;
  }

  async wallet(): Promise<Sender> {
    const { key } = signerKey({ env: this.io.env, ...(this.g.keystore ? { keystore: this.g.keystore } : {}) });
    const w = await makeWallet(await this.conn(), key);
    if (!w) {
      throw new DexetraError(ErrorCodes.NO_SIGNER, `no signer for --network ${this.network}`, {
        hint: "Set DEXETRA_PRIVATE_KEY or pass --keystore <file>.",
      });
    }
    return w;
  }

  async optionalWallet(): Promise<Sender | undefined> {
    try {
      return await this.wallet();
    } catch {
      return undefined;
    }
  }

  /** The record for this network, refused if it belongs to another chain. */
  async record(): Promise<DeploymentRecord> {
    const c = await this.conn();
    return readRecord(this.recordFile, { network: this.network, chainId: c.chainId });
  }

  async recordOrEmpty(): Promise<DeploymentRecord> {
    const c = await this.conn();
    return readOrCreateRecord(this.recordFile, this.network, c.chainId);
  }

  saveRecord(rec: DeploymentRecord): DeploymentRecord {
    return writeRecord(this.recordFile, rec);
  }

  /** An address flag: well-formed, and with code on THIS chain (a wrong-chain address has none). */
  async contractFlag(flag: string, value: string | undefined): Promise<Address | undefined> {
    if (value === undefined) return undefined;
    const a = parseAddress(flag, value);
    const c = await this.conn();
    const code = await c.client.getCode({ address: a });
    if (!code || code === "0x") {
      throw new DexetraError(
        ErrorCodes.WRONG_CHAIN_ADDRESS,
        `${flag} ${a} has no contract on chain ${c.chainId} (--network ${this.network})`,
        {
          hint: "Is this an address from another network?",
        },
      );
    }
    return a;
  }

  async close(): Promise<void> {
    if (this._opened && this._conn) await this._conn.close();
  }
}

export function parseAddress(flag: string, value: string): Address {
  if (!isAddress(value, { strict: true })) {
    const why = /^0x[0-9a-fA-F]{40}$/.test(value) ? "bad EIP-55 checksum" : "not a 20-byte hex address";
    throw new DexetraError(ErrorCodes.BAD_ADDRESS, `${flag} "${value}" is not a valid address (${why})`);
  }
  return getAddress(value);
}
