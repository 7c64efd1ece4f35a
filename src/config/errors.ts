// One error type for the whole ops tool: a stable code a script can branch on, a message a
// person can act on, and the underlying cause kept (never flattened into the message).

export const ErrorCodes = {
  BAD_FLAG: "E_BAD_FLAG", // unknown flag, missing flag value, malformed value
  BAD_ADDRESS: "E_BAD_ADDRESS", // not an address / bad checksum
  WRONG_CHAIN_ADDRESS: "E_WRONG_CHAIN_ADDRESS", // no code on this chain or not part of this network's record
  RECORD_MISSING: "E_RECORD_MISSING",
  RECORD_INVALID: "E_RECORD_INVALID",
  RECORD_CHAIN_MISMATCH: "E_RECORD_CHAIN_MISMATCH",
  NO_SIGNER: "E_NO_SIGNER",
  KEYSTORE: "E_KEYSTORE",
  NETWORK: "E_NETWORK",
  EXCHANGE: "E_EXCHANGE", // the HyperCore exchange API refused an action or failed (HTTP error)
  JOURNAL_CONFLICT: "E_JOURNAL_CONFLICT", // the journal belongs to another run / different parameters
  JOURNAL_CORRUPT: "E_JOURNAL_CORRUPT",
  STEP_FAILED: "E_STEP_FAILED",
  TX_REVERTED: "E_TX_REVERTED",
  AWAITING_SAFE: "E_AWAITING_SAFE", // a Safe batch was written; run again once the multisig executed it
  SAFE_MISMATCH: "E_SAFE_MISMATCH",
  PREFLIGHT: "E_PREFLIGHT",
  DRIFT: "E_DRIFT", // critical wiring drift found
  VALIDATION: "E_VALIDATION",
  STORAGE_LAYOUT: "E_STORAGE_LAYOUT",
  SNAPSHOT_READ: "E_SNAPSHOT_READ",
  RECONCILE: "E_RECONCILE",
  NOT_IMPLEMENTED: "E_NOT_IMPLEMENTED",
  INTERNAL: "E_INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Exit codes: 1 = operational failure, 2 = refused input, 3 = waiting for a multisig, 4 = drift/validation. */
const EXIT: Partial<Record<ErrorCode, number>> = {
  E_BAD_FLAG: 2,
  E_BAD_ADDRESS: 2,
  E_WRONG_CHAIN_ADDRESS: 2,
  E_RECORD_MISSING: 2,
  E_RECORD_INVALID: 2,
  E_RECORD_CHAIN_MISMATCH: 2,
  E_NO_SIGNER: 2,
  E_KEYSTORE: 2,
  E_AWAITING_SAFE: 3,
  E_DRIFT: 4,
  E_VALIDATION: 4,
  E_STORAGE_LAYOUT: 4,
};

export class DexetraError extends Error {
  readonly code: ErrorCode;
  /** What the operator should do next, shown under the message. */
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { cause?: unknown; hint?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "DexetraError";
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  get exitCode(): number {
    return EXIT[this.code] ?? 1;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      details: this.details,
      cause: this.cause instanceof Error ? this.cause.message : this.cause,
    };
  }
}

export function isDexetraError(e: unknown, code?: ErrorCode): e is DexetraError {
  return e instanceof DexetraError && (code === undefined || e.code === code);
}
