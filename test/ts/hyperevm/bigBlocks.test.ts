// The HyperCore L1-action signing behind `dexetra big-blocks`: msgpack bytes derived by hand, the
// connectionId, Hyperliquid's own published signing vectors, and signer recovery per network.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { concat, keccak256, recoverTypedDataAddress } from "viem";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { isDexetraError } from "../../../src/config/errors.ts";
import {
  actionBytes,
  actionHash,
  awaitUsingBigBlocks,
  evmUserModifyAction,
  exchangeUrl,
  knownApiNetwork,
  parseExchangeAnswer,
  readUsingBigBlocks,
  signEvmUserModify,
  signL1Action,
} from "../../../src/hyperevm/bigBlocks.ts";
import { OFF_BYTES, ON_BYTES, agentTypedData, nonceBE } from "../helpers/hyperliquid.ts";

// Hardhat's well-known first test account and its public test key.
const DEV = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

const NONCE = 1_700_000_000_000; // 0x18bcfe56800
const NONCE_BE = "0x0000018bcfe56800" as Hex;

const hex = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString("hex")}`;

describe("evmUserModify action hashing", () => {
  it("msgpack of both actions equals the hand-derived bytes, keys in order", () => {
    assert.equal(hex(actionBytes(evmUserModifyAction(true))), ON_BYTES);
    assert.equal(hex(actionBytes(evmUserModifyAction(false))), OFF_BYTES);
    assert.deepEqual(Object.keys(evmUserModifyAction(true)), ["type", "usingBigBlocks"]);
    // Key order is part of the hash: the other order gives other bytes.
    assert.notEqual(hex(actionBytes({ usingBigBlocks: true, type: "evmUserModify" })), ON_BYTES);
  });

  it("connectionId = keccak(msgpack ‖ nonce 8-byte big-endian ‖ 0x00)", () => {
    assert.equal(nonceBE(NONCE), NONCE_BE);
    assert.equal(actionHash(evmUserModifyAction(true), NONCE), keccak256(concat([ON_BYTES, NONCE_BE, "0x00"])));
    assert.equal(actionHash(evmUserModifyAction(false), NONCE), keccak256(concat([OFF_BYTES, NONCE_BE, "0x00"])));
    assert.notEqual(actionHash(evmUserModifyAction(true), NONCE), actionHash(evmUserModifyAction(true), NONCE + 1));
    assert.throws(() => actionHash(evmUserModifyAction(true), 1.5), RangeError);
    assert.throws(() => actionHash(evmUserModifyAction(true), -1), RangeError);
  });

  // Vectors published in hyperliquid-dex/hyperliquid-python-sdk tests/signing_test.py: the same
  // scheme (msgpack, nonce, vault byte, EIP-712 Agent) checked against Hyperliquid's reference.
  it("matches the official SDK's phantom-agent vector (order action, production)", () => {
    const order = {
      type: "order",
      orders: [{ a: 4, b: true, p: "1670.1", s: "0.0147", r: false, t: { limit: { tif: "Ioc" } } }],
      grouping: "na",
    };
    assert.equal(
      actionHash(order, 1677777606040),
      "0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908",
    );
  });

  it("matches the official SDK's L1 signing vectors (mainnet v=27, testnet v=28)", async () => {
    const wallet = privateKeyToAccount("0x0123456789012345678901234567890123456789012345678901234567890123");
    const action = { type: "dummy", num: 100_000_000_000 };
    const main = await signL1Action(wallet, action, { nonce: 0, testnet: false });
    assert.equal(BigInt(main.signature.r), 0x53749d5b30552aeb2fca34b530185976545bb22d0b3ce6f62e31be961a59298n);
    assert.equal(BigInt(main.signature.s), 0x755c40ba9bf05223521753995abb2f73ab3229be8ec921f350cb447e384d8ed8n);
    assert.equal(main.signature.v, 27);
    const test = await signL1Action(wallet, action, { nonce: 0, testnet: true });
    assert.equal(BigInt(test.signature.r), 0x542af61ef1f429707e3c76c5293c80d01f74ef853e34b76efffcb57e574f9510n);
    assert.equal(BigInt(test.signature.s), 0x17b8b32f086e8cdede991f1e2c529f5dd5297cbe8128500e00cbaf766204a613n);
    assert.equal(test.signature.v, 28);
  });
});

describe("evmUserModify signing", () => {
  const account = privateKeyToAccount(DEV_KEY);

  for (const on of [true, false]) {
    for (const testnet of [false, true]) {
      it(`${on ? "on" : "off"}, ${testnet ? "testnet (source b)" : "mainnet (source a)"}: recovers to the signer`, async () => {
        const signed = await signEvmUserModify(account, on, { nonce: NONCE, testnet });
        assert.deepEqual(signed.action, { type: "evmUserModify", usingBigBlocks: on });
        assert.equal(signed.nonce, NONCE);
        assert.match(signed.signature.r, /^0x[0-9a-f]{64}$/);
        assert.match(signed.signature.s, /^0x[0-9a-f]{64}$/);
        assert.ok([27, 28].includes(signed.signature.v));
        const connectionId = keccak256(concat([on ? ON_BYTES : OFF_BYTES, NONCE_BE, "0x00"]));
        const signature = { ...signed.signature, v: BigInt(signed.signature.v) };
        const right = testnet ? "b" : "a";
        const wrong = testnet ? "a" : "b";
        assert.equal(await recoverTypedDataAddress({ ...agentTypedData(right, connectionId), signature }), DEV);
        assert.notEqual(await recoverTypedDataAddress({ ...agentTypedData(wrong, connectionId), signature }), DEV);
        // Another nonce or the other action is another connectionId: no longer the signer.
        const otherNonce = keccak256(concat([on ? ON_BYTES : OFF_BYTES, "0x0000018bcfe56801", "0x00"]));
        assert.notEqual(await recoverTypedDataAddress({ ...agentTypedData(right, otherNonce), signature }), DEV);
        const otherAction = keccak256(concat([on ? OFF_BYTES : ON_BYTES, NONCE_BE, "0x00"]));
        assert.notEqual(await recoverTypedDataAddress({ ...agentTypedData(right, otherAction), signature }), DEV);
      });
    }
  }
});

describe("exchange API plumbing", () => {
  it("exchangeUrl: base URL + /exchange; refuses what is not one, naming the flag", () => {
    assert.equal(exchangeUrl("https://api.hyperliquid.xyz"), "https://api.hyperliquid.xyz/exchange");
    assert.equal(exchangeUrl("https://api.hyperliquid.xyz/"), "https://api.hyperliquid.xyz/exchange");
    assert.equal(exchangeUrl("http://127.0.0.1:8080/hl/"), "http://127.0.0.1:8080/hl/exchange");
    for (const bad of [
      "api.hyperliquid.xyz",
      "not a url",
      "ftp://x.y",
      "http://example.com",
      "https://u:p@x.y",
      "https://x.y/?a=1",
    ]) {
      assert.throws(
        () => exchangeUrl(bad, "--api"),
        (e: unknown) => isDexetraError(e, "E_BAD_FLAG") && e.message.includes("--api") && e.exitCode === 2,
        bad,
      );
    }
  });

  it("knownApiNetwork tells the public endpoints apart", () => {
    assert.equal(knownApiNetwork("https://api.hyperliquid.xyz/"), "mainnet");
    assert.equal(knownApiNetwork("https://api.hyperliquid-testnet.xyz"), "testnet");
    assert.equal(knownApiNetwork("http://127.0.0.1:1"), undefined);
  });

  it("parseExchangeAnswer: ok passes, err / HTTP errors / junk become E_EXCHANGE with the API's message", () => {
    assert.deepEqual(parseExchangeAnswer(200, '{"status":"ok","response":{"type":"default"}}'), {
      status: "ok",
      response: { type: "default" },
    });
    const refused = (status: number, body: string, text: RegExp) =>
      assert.throws(
        () => parseExchangeAnswer(status, body),
        (e: unknown) => isDexetraError(e, "E_EXCHANGE") && text.test(e.message) && e.exitCode === 1,
        body,
      );
    refused(200, '{"status":"err","response":"User or API Wallet 0xabc does not exist."}', /refused.*does not exist/);
    refused(500, "Internal Server Error: boom", /HTTP 500: Internal Server Error: boom/);
    refused(422, "Failed to deserialize the JSON body", /HTTP 422: Failed to deserialize/);
    refused(200, "<html>", /unexpected answer: <html>/);
    refused(200, '{"status":"weird"}', /unexpected answer/);
  });

  it("readUsingBigBlocks: a boolean, or undefined when the RPC lacks the method", async () => {
    const calls: unknown[] = [];
    const yes = await readUsingBigBlocks(async (a) => (calls.push(a), true), DEV);
    assert.equal(yes, true);
    assert.deepEqual(calls, [{ method: "eth_usingBigBlocks", params: [DEV] }]);
    assert.equal(await readUsingBigBlocks(async () => false, DEV), false);
    assert.equal(
      await readUsingBigBlocks(async () => {
        throw new Error("method not found");
      }, DEV),
      undefined,
    );
    assert.equal(await readUsingBigBlocks(async () => "0x1", DEV), undefined);
  });

  it("awaitUsingBigBlocks: confirms, gives up after the attempts, stops when unreadable", async () => {
    let n = 0;
    const flips = async () => ++n >= 3;
    assert.deepEqual(await awaitUsingBigBlocks(flips, true, { attempts: 5, intervalMs: 1 }), {
      confirmed: true,
      observed: true,
    });
    assert.equal(n, 3);
    n = 0;
    const never = async () => (n++, false);
    assert.deepEqual(await awaitUsingBigBlocks(never, true, { attempts: 4, intervalMs: 1 }), {
      confirmed: false,
      observed: false,
    });
    assert.equal(n, 4);
    assert.deepEqual(await awaitUsingBigBlocks(async () => undefined, true, { intervalMs: 1 }), {
      confirmed: undefined,
      observed: undefined,
    });
  });
});
