// HyperEVM big blocks: an account's EVM transactions go to small blocks (2M gas, ~1 s) unless it
// opts into big blocks (30M gas, ~60 s) with the HyperCore action `evmUserModify`. That action is
// an "L1 action" signed with Hyperliquid's phantom-agent EIP-712 scheme and POSTed to the exchange
// API. Pure except `submitL1Action` (fetch), `readUsingBigBlocks` (one RPC) and its poll.
//
//   connectionId = keccak256(msgpack(action) ‖ nonce (8 bytes, big-endian) ‖ 0x00 (no vault))
//   signature    = EIP-712 Agent{source, connectionId} in the domain Exchange/1/1337/0x0…0,
//                  source "a" on mainnet, "b" on testnet
import { encode } from "@msgpack/msgpack";
import { bytesToHex, concat, keccak256, numberToHex, parseSignature, zeroAddress } from "viem";
import type { Address, Hex, LocalAccount } from "viem";
import { DexetraError, ErrorCodes } from "../config/errors.ts";

export const HYPERLIQUID_API = {
  mainnet: "https://api.hyperliquid.xyz",
  testnet: "https://api.hyperliquid-testnet.xyz",
} as const;

/** HyperEVM chain ids (the EVM side of the same network). */
export const HYPEREVM_CHAIN_ID = { mainnet: 999, testnet: 998 } as const;

export type EvmUserModifyAction = { type: "evmUserModify"; usingBigBlocks: boolean };

/** The action, keys in this exact order: msgpack keeps insertion order and the hash covers it. */
export function evmUserModifyAction(usingBigBlocks: boolean): EvmUserModifyAction {
  return { type: "evmUserModify", usingBigBlocks };
}

/** msgpack of an action, keys in insertion order (what the exchange hashes). */
export function actionBytes(action: object): Uint8Array {
  return encode(action);
}

/** An L1 action nonce: a millisecond timestamp, an unsigned integer that fits 8 bytes exactly. */
function checkNonce(nonce: number): void {
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw new RangeError(`nonce ${nonce} is not a uint64 ms timestamp`);
}

/** The phantom agent's connectionId for an action without vault address or expiry. */
export function actionHash(action: object, nonce: number): Hex {
  checkNonce(nonce);
  return keccak256(concat([bytesToHex(actionBytes(action)), numberToHex(nonce, { size: 8 }), "0x00"]));
}

export function l1ActionTypedData(connectionId: Hex, testnet: boolean) {
  return {
    domain: { name: "Exchange", version: "1", chainId: 1337, verifyingContract: zeroAddress },
    types: {
      Agent: [
        { name: "source", type: "string" },
        { name: "connectionId", type: "bytes32" },
      ],
    },
    primaryType: "Agent",
    message: { source: testnet ? "b" : "a", connectionId },
  } as const;
}

export type L1Signature = { r: Hex; s: Hex; v: number };
/** Exactly the body the exchange endpoint takes for an action without vault address or expiry. */
export type SignedL1Action<A extends object = EvmUserModifyAction> = {
  action: A;
  nonce: number;
  signature: L1Signature;
};

export async function signL1Action<A extends object>(
  account: LocalAccount,
  action: A,
  opts: { nonce: number; testnet: boolean },
): Promise<SignedL1Action<A>> {
  const sig = parseSignature(
    await account.signTypedData(l1ActionTypedData(actionHash(action, opts.nonce), opts.testnet)),
  );
  const v = sig.v !== undefined ? Number(sig.v) : 27 + sig.yParity;
  return { action, nonce: opts.nonce, signature: { r: sig.r, s: sig.s, v } };
}

export function signEvmUserModify(
  account: LocalAccount,
  usingBigBlocks: boolean,
  opts: { nonce: number; testnet: boolean },
): Promise<SignedL1Action> {
  return signL1Action(account, evmUserModifyAction(usingBigBlocks), opts);
}

/**
 * `<api>/exchange` for an API base URL, refused (naming `flag`) unless it is an absolute https URL
 * without credentials, query or fragment; plain http only on loopback (a local stand-in).
 */
export function exchangeUrl(api: string, flag = "--api"): string {
  let u: URL;
  try {
    u = new URL(api);
  } catch {
    throw new DexetraError(ErrorCodes.BAD_FLAG, `${flag} "${api}" is not a URL`, {
      hint: `e.g. ${HYPERLIQUID_API.mainnet}`,
    });
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname) || /^127\./.test(u.hostname);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback))
    throw new DexetraError(ErrorCodes.BAD_FLAG, `${flag} "${api}" must be an https URL (http only on loopback)`);
  if (u.username || u.password || u.search || u.hash)
    throw new DexetraError(ErrorCodes.BAD_FLAG, `${flag} "${api}" must be a base URL (no credentials, query or #)`);
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}/exchange`;
}

/** Which network a known API URL belongs to (undefined for anything else, e.g. a local stand-in). */
export function knownApiNetwork(api: string): "mainnet" | "testnet" | undefined {
  const origin = URL.canParse(api) ? new URL(api).origin : undefined;
  if (origin === HYPERLIQUID_API.mainnet) return "mainnet";
  if (origin === HYPERLIQUID_API.testnet) return "testnet";
  return undefined;
}

export type ExchangeOk = { status: "ok"; response: unknown };

/** The exchange's answer: `{status:"ok", response}` or a DexetraError carrying the API's message. */
export function parseExchangeAnswer(httpStatus: number, body: string): ExchangeOk {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const obj = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : undefined;
  const apiMessage = (): string => {
    const r = obj?.response;
    const text = typeof r === "string" ? r : r !== undefined ? JSON.stringify(r) : body.trim();
    return text.length > 500 ? `${text.slice(0, 500)}…` : text || "(empty body)";
  };
  if (httpStatus < 200 || httpStatus >= 300) {
    throw new DexetraError(ErrorCodes.EXCHANGE, `exchange API answered HTTP ${httpStatus}: ${apiMessage()}`, {
      details: { httpStatus },
    });
  }
  if (obj?.status === "ok") return { status: "ok", response: obj.response };
  if (obj?.status === "err") {
    throw new DexetraError(ErrorCodes.EXCHANGE, `exchange API refused the action: ${apiMessage()}`, {
      hint: "A signature the API cannot match to an account usually means the wrong network (--testnet) or an account without HyperCore activity.",
      details: { httpStatus },
    });
  }
  throw new DexetraError(ErrorCodes.EXCHANGE, `exchange API gave an unexpected answer: ${apiMessage()}`, {
    details: { httpStatus },
  });
}

/** POST a signed action; a timeout or refused connection is E_NETWORK, any refusal E_EXCHANGE. */
export async function submitL1Action(
  url: string,
  body: SignedL1Action<object>,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<ExchangeOk> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let res: Response;
  let text: string;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === "TimeoutError";
    throw new DexetraError(
      ErrorCodes.NETWORK,
      timedOut ? `no answer from ${url} within ${timeoutMs} ms` : `cannot reach ${url}`,
      {
        cause,
        hint: "The action may or may not have been applied; it only sets a flag, so running the command again is safe.",
      },
    );
  }
  return parseExchangeAnswer(res.status, text);
}

type RpcRequest = (args: { method: string; params: unknown[] }) => Promise<unknown>;

/**
 * HyperEVM's `eth_usingBigBlocks(address)` (a Hyperliquid RPC extension). Undefined when the
 * endpoint does not offer it (a third-party RPC, a plain node) or answers something else.
 */
export async function readUsingBigBlocks(request: RpcRequest, address: Address): Promise<boolean | undefined> {
  try {
    const r = await request({ method: "eth_usingBigBlocks", params: [address] });
    return typeof r === "boolean" ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Poll until the flag reads `want` (true), reads otherwise after every attempt (false), or is unreadable. */
export async function awaitUsingBigBlocks(
  read: () => Promise<boolean | undefined>,
  want: boolean,
  opts: { attempts?: number; intervalMs?: number } = {},
): Promise<{ confirmed: boolean | undefined; observed: boolean | undefined }> {
  const attempts = opts.attempts ?? 5;
  let observed: boolean | undefined;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1_000));
    observed = await read();
    if (observed === undefined) return { confirmed: undefined, observed };
    if (observed === want) return { confirmed: true, observed };
  }
  return { confirmed: false, observed };
}
