// One error type for the keeper and monitor: a stable `kind` (metrics label, what tests assert) and
// the original error kept as `cause`.

export type ErrorKind =
  | "rpc" // transport failure or RPC error response
  | "timeout" // an RPC call did not answer in time
  | "revert" // a simulation or a mined transaction reverted
  | "over_budget" // the gas estimate exceeds the small-block budget
  | "nonce" // the node refused a nonce
  | "lanes_full" // every signer already has its maximum of pending transactions
  | "config" // bad configuration, found before anything is sent
  | "internal";

export class KeeperError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeeperError";
    this.kind = kind;
  }
}

/** Map anything thrown by viem or a transport to an ErrorKind. */
export function classify(err: unknown): ErrorKind {
  if (err instanceof KeeperError) return err.kind;
  const e = err as { name?: string; shortMessage?: string; message?: string; cause?: unknown; details?: string };
  const text = `${e?.name ?? ""} ${e?.shortMessage ?? ""} ${e?.details ?? ""} ${e?.message ?? ""}`.toLowerCase();
  if (/timeout|timed out/.test(text)) return "timeout";
  if (/nonce (too low|too high)|replacement transaction underpriced|already known/.test(text)) return "nonce";
  if (/revert|execution reverted|contractfunctionexecutionerror/.test(text)) return "revert";
  if (e?.cause && e.cause !== err) {
    const inner = classify(e.cause);
    if (inner !== "internal") return inner;
  }
  if (/rpc|fetch|network|socket|econn|transport|http request failed/.test(text)) return "rpc";
  return "internal";
}

export function errorMessage(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return (e?.shortMessage ?? e?.message ?? String(err)).split("\n")[0] ?? "";
}
