// Hand-derived HyperCore signing facts, and a loopback stand-in for Hyperliquid's exchange API and
// HyperEVM JSON-RPC (the real ones are unreachable from tests).
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import { concat, keccak256, recoverTypedDataAddress } from "viem";
import type { Address, Hex } from "viem";

// Derived by hand from the msgpack spec: fixmap of 2, then fixstr (0xa0 | length) + ASCII bytes.
const KEYS_AND_TYPE =
  "82" +
  ("a4" + "74797065") + // "type"
  ("ad" + "65766d557365724d6f64696679") + // "evmUserModify"
  ("ae" + "7573696e67426967426c6f636b73"); // "usingBigBlocks"
export const ON_BYTES = `0x${KEYS_AND_TYPE}c3` as Hex; // true
export const OFF_BYTES = `0x${KEYS_AND_TYPE}c2` as Hex; // false

export function nonceBE(nonce: number): Hex {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(nonce));
  return `0x${b.toString("hex")}`;
}

export const connectionIdOf = (on: boolean, nonce: number): Hex =>
  keccak256(concat([on ? ON_BYTES : OFF_BYTES, nonceBE(nonce), "0x00"]));

/** The EIP-712 typed data written out independently of the module under test. */
export function agentTypedData(source: string, connectionId: Hex) {
  return {
    domain: {
      name: "Exchange",
      version: "1",
      chainId: 1337,
      verifyingContract: "0x0000000000000000000000000000000000000000",
    },
    types: {
      Agent: [
        { name: "source", type: "string" },
        { name: "connectionId", type: "bytes32" },
      ],
    },
    primaryType: "Agent",
    message: { source, connectionId },
  } as const;
}

export type Posted = { method: string; path: string; contentType: string | undefined; raw: string };
type Body = {
  action: { type: string; usingBigBlocks: boolean };
  nonce: number;
  signature: { r: Hex; s: Hex; v: number };
};

/** Who signed an exchange body, recomputing the connectionId from the hand-derived bytes. */
export async function signerOf(body: Body, source: "a" | "b"): Promise<Address> {
  const { r, s, v } = body.signature;
  return recoverTypedDataAddress({
    ...agentTypedData(source, connectionIdOf(body.action.usingBigBlocks, body.nonce)),
    signature: { r, s, v: BigInt(v) },
  });
}

/**
 * POST /exchange answers like Hyperliquid (mode "ok" also applies the flag for the recovered
 * signer; "ignore" answers ok without applying it); POST /evm is a HyperEVM JSON-RPC with
 * eth_chainId and eth_usingBigBlocks.
 */
export class FakeHyperliquid {
  readonly posted: Posted[] = [];
  mode: "ok" | "err" | "500" | "ignore" = "ok";
  chainId = 999;
  source: "a" | "b" = "a";
  readonly flags = new Map<string, boolean>();
  private server: Server | undefined;
  url = "";

  get exchangeRequests(): Posted[] {
    return this.posted.filter((p) => p.path.endsWith("/exchange"));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, type, text]) => {
        res.writeHead(status, { "content-type": type });
        res.end(text);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    const addr = this.server.address();
    if (!addr || typeof addr === "string") throw new Error("no port");
    this.url = `http://127.0.0.1:${addr.port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  private async handle(req: IncomingMessage): Promise<[number, string, string]> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const path = req.url ?? "";
    this.posted.push({ method: req.method ?? "", path, contentType: req.headers["content-type"], raw });
    if (path === "/evm") {
      const { id, method, params } = JSON.parse(raw) as { id: number; method: string; params: unknown[] };
      const ok = (result: unknown): [number, string, string] => [
        200,
        "application/json",
        JSON.stringify({ jsonrpc: "2.0", id, result }),
      ];
      if (method === "eth_chainId") return ok(`0x${this.chainId.toString(16)}`);
      if (method === "eth_usingBigBlocks") return ok(this.flags.get(String(params[0]).toLowerCase()) ?? false);
      return [
        200,
        "application/json",
        JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32601, message: "nope" } }),
      ];
    }
    if (path !== "/exchange") return [404, "text/plain", "not found"];
    if (this.mode === "500") return [500, "text/plain", "internal error: database unavailable"];
    if (this.mode === "err") {
      return [
        200,
        "application/json",
        JSON.stringify({ status: "err", response: "User or API Wallet does not exist." }),
      ];
    }
    if (this.mode === "ok") {
      const body = JSON.parse(raw) as Body;
      this.flags.set((await signerOf(body, this.source)).toLowerCase(), body.action.usingBigBlocks);
    }
    return [200, "application/json", JSON.stringify({ status: "ok", response: { type: "default" } })];
  }
}
