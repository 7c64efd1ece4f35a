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

type AnyErr = {
  name?: string;
  code?: number;
  shortMessage?: string;
  message?: string;
  details?: string;
  cause?: unknown;
};

function chainOf(err: unknown): AnyErr[] {
  const out: AnyErr[] = [];
  let e = err as AnyErr | undefined;
  while (e && typeof e === "object" && out.length < 12) {
    out.push(e);
    e = e.cause as AnyErr | undefined;
  }
  return out;
}

const RPC_NAMES =
  /^(HttpRequestError|RpcRequestError|TimeoutError|InternalRpcError|UnknownRpcError|SocketClosedError|WebSocketRequestError|LimitExceededRpcError|ResourceUnavailableRpcError)$/;

/**
 * Map anything thrown by viem or a transport to an ErrorKind. viem wraps errors in layers whose
 * own messages can mislead (an RPC failure inside readContract is reported as "reverted"), so the
 * node's own words are read: the first `details` in the cause chain, else the root message.
 */
export function classify(err: unknown): ErrorKind {
  const chain = chainOf(err);
  const own = chain.find((e) => e instanceof KeeperError) as KeeperError | undefined;
  if (own) return own.kind;
  const root = chain[chain.length - 1];
  const detail = (chain.find((e) => e.details)?.details ?? root?.message ?? String(err)).toLowerCase();
  if (/timed out|timeout/.test(detail)) return "timeout";
  if (/nonce too low|nonce too high|replacement transaction underpriced|already known|known transaction/.test(detail))
    return "nonce";
  if (/revert|vm exception|invalid opcode|out of gas/.test(detail) || chain.some((e) => e.code === 3)) return "revert";
  if (chain.some((e) => RPC_NAMES.test(e.name ?? "") || (typeof e.code === "number" && e.code <= -32000))) return "rpc";
  if (/rpc|fetch|network|socket|econn|transport|http request failed/.test(detail)) return "rpc";
  return "internal";
}

export function errorMessage(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return (e?.shortMessage ?? e?.message ?? String(err)).split("\n")[0] ?? "";
}
