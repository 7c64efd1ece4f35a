// One error type for the relayer, with a code a caller can switch on and the cause kept.
export type RelayerErrorCode =
  | "SOURCE_MISMATCH"
  | "NOT_ENOUGH_SIGNATURES"
  | "NO_SIGNER_KEYS"
  | "BAD_SIGNER_KEY"
  | "CONFIG";

export class RelayerError extends Error {
  readonly code: RelayerErrorCode;

  constructor(code: RelayerErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
    this.name = "RelayerError";
  }
}
