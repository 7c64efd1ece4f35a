// `dexetra big-blocks` against a loopback stand-in for Hyperliquid's exchange API (and, for an RPC
// network, HyperEVM's JSON-RPC): what is POSTed, who signed it, how answers and bad input end.
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encryptKeystore } from "../../../src/chain/keystore.ts";
import { cliRunner } from "../helpers/cli.ts";
import { FakeHyperliquid, signerOf } from "../helpers/hyperliquid.ts";

// Hardhat's well-known first test account and its public test key.
const DEV = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const WITH_KEY = { env: { DEXETRA_PRIVATE_KEY: DEV_KEY } };

describe("dexetra big-blocks", () => {
  let hl: FakeHyperliquid;
  let cli: ReturnType<typeof cliRunner>;

  before(async () => {
    hl = await new FakeHyperliquid().start();
    cli = cliRunner({});
  });
  after(() => hl.stop());
  beforeEach(() => {
    hl.posted.length = 0;
    hl.mode = "ok";
    hl.chainId = 999;
    hl.source = "a";
    hl.flags.clear();
  });

  it("--on POSTs exactly {action, nonce, signature} to <api>/exchange, signed by the key for mainnet", async () => {
    const t0 = Date.now();
    const r = await cli.run(["big-blocks", "--on", "--api", hl.url, "--json"], WITH_KEY);
    const t1 = Date.now();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(hl.posted.length, 1);
    const [req] = hl.posted;
    assert.equal(req!.method, "POST");
    assert.equal(req!.path, "/exchange");
    assert.equal(req!.contentType, "application/json");
    const body = JSON.parse(req!.raw);
    assert.deepEqual(Object.keys(body), ["action", "nonce", "signature"]);
    assert.match(req!.raw, /^\{"action":\{"type":"evmUserModify","usingBigBlocks":true\},"nonce":\d+,"signature":/);
    assert.ok(Number.isInteger(body.nonce) && body.nonce >= t0 && body.nonce <= t1, "nonce = now in ms");
    assert.deepEqual(Object.keys(body.signature), ["r", "s", "v"]);
    assert.equal(await signerOf(body, "a"), DEV);
    assert.notEqual(await signerOf(body, "b"), DEV, "a mainnet signature is not a testnet one");
    const out = r.json();
    assert.equal(out.signer, DEV);
    assert.equal(out.usingBigBlocks, true);
    assert.equal(out.nonce, body.nonce);
    assert.equal(out.url, `${hl.url}/exchange`);
    assert.deepEqual(out.response, { type: "default" });
    assert.equal("confirmed" in out, false, "no RPC network: nothing to read back");
  });

  it("--off --testnet with a --keystore signer: source b, text output with the next step", async () => {
    const ks = join(cli.dir, "bb-key.json");
    writeFileSync(ks, encryptKeystore(DEV_KEY, "pass-word-1", { n: 1024 }));
    const r = await cli.run(["big-blocks", "--off", "--testnet", "--api", `${hl.url}/`, "--keystore", ks], {
      env: { DEXETRA_KEYSTORE_PASSWORD: "pass-word-1" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(hl.exchangeRequests.length, 1);
    const body = JSON.parse(hl.exchangeRequests[0]!.raw);
    assert.deepEqual(body.action, { type: "evmUserModify", usingBigBlocks: false });
    assert.equal(await signerOf(body, "b"), DEV);
    assert.notEqual(await signerOf(body, "a"), DEV);
    assert.match(r.stdout, /big blocks OFF .* on testnet: exchange answered ok/);
  });

  it('an "err" answer: exit 1 with the API\'s message', async () => {
    hl.mode = "err";
    const r = await cli.run(["big-blocks", "--on", "--api", hl.url, "--json"], WITH_KEY);
    assert.equal(r.code, 1);
    assert.equal(hl.exchangeRequests.length, 1);
    assert.equal(r.json().error.code, "E_EXCHANGE");
    assert.match(r.json().error.message, /User or API Wallet does not exist\./);
    assert.match(r.stderr, /E_EXCHANGE.*User or API Wallet does not exist/);
  });

  it("an HTTP 500: exit 1 with the status and the body", async () => {
    hl.mode = "500";
    const r = await cli.run(["big-blocks", "--off", "--api", hl.url], WITH_KEY);
    assert.equal(r.code, 1);
    assert.equal(hl.exchangeRequests.length, 1);
    assert.match(r.stderr, /E_EXCHANGE.*HTTP 500: internal error: database unavailable/);
  });

  it("an unreachable API: exit 1, E_NETWORK", async () => {
    const r = await cli.run(["big-blocks", "--on", "--api", "http://127.0.0.1:9", "--json"], WITH_KEY);
    assert.equal(r.code, 1);
    assert.equal(r.json().error.code, "E_NETWORK");
  });

  it("--plan prints action, nonce, signer and URL and sends nothing", async () => {
    const r = await cli.run(["big-blocks", "--on", "--api", hl.url, "--plan", "--json"], WITH_KEY);
    assert.equal(r.code, 0, r.stderr);
    const p = r.json();
    assert.equal(p.plan, true);
    assert.deepEqual(p.action, { type: "evmUserModify", usingBigBlocks: true });
    assert.ok(Number.isInteger(p.nonce));
    assert.equal(p.signer, DEV);
    assert.equal(p.url, `${hl.url}/exchange`);
    const text = await cli.run(["big-blocks", "--off", "--testnet", "--plan"]);
    assert.equal(text.code, 0, "a plan needs no signer");
    assert.match(text.stdout, /plan only, nothing sent/);
    assert.match(text.stdout, /POST https:\/\/api\.hyperliquid-testnet\.xyz\/exchange/);
    assert.match(text.stdout, /"usingBigBlocks":false/);
    assert.equal(hl.posted.length, 0);
  });

  it("bad input exits 2 before any request, naming the flag", async () => {
    const cases: [string[], RegExp, object?][] = [
      [["--on", "--off"], /--on and --off together/],
      [[], /one of --on or --off/],
      [["--on", "--onn"], /--onn/],
      [["--on", "--safe", DEV], /--safe does not apply/],
      [["--on", "--testnet", "--api", "https://api.hyperliquid.xyz"], /--api .* mainnet API .* testnet/],
      [["--on", "--api", "https://api.hyperliquid-testnet.xyz"], /--api .* testnet API .* mainnet/],
      [["--on", "--api", "not a url"], /--api "not a url" is not a URL/],
      [["--on", "--api", "http://example.com"], /--api .* https/],
      [["--on", "--api", `${hl.url}?x=1`], /--api .* base URL/],
      [["--on"], /no signer/, {}],
    ];
    for (const [args, msg, extra] of cases) {
      const argv = ["big-blocks", ...(args.some((a) => a === "--api") ? [] : ["--api", hl.url]), ...args, "--json"];
      const r = await cli.run(argv, extra ?? WITH_KEY);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.json().error.message, msg, argv.join(" "));
    }
    assert.equal(hl.posted.length, 0);
  });

  describe("on an RPC network (HyperEVM JSON-RPC)", () => {
    const rpcEnv = () => ({ DEXETRA_PRIVATE_KEY: DEV_KEY, DEXETRA_RPC_URL_HYPEREVM: `${hl.url}/evm` });

    it("reads eth_usingBigBlocks back: confirmed on, then off", async () => {
      const on = await cli.run(["big-blocks", "--network", "hyperevm", "--on", "--api", hl.url, "--json"], {
        env: rpcEnv(),
      });
      assert.equal(on.code, 0, on.stderr);
      assert.equal(hl.flags.get(DEV.toLowerCase()), true);
      assert.equal(on.json().confirmed, true);
      assert.equal(on.json().observed, true);
      const off = await cli.run(["big-blocks", "--network", "hyperevm", "--off", "--api", hl.url], { env: rpcEnv() });
      assert.equal(off.code, 0, off.stderr);
      assert.equal(hl.flags.get(DEV.toLowerCase()), false);
      assert.match(off.stdout, /eth_usingBigBlocks on hyperevm: false \(confirmed\)/);
    });

    it("refuses a chain that is not the signed network's HyperEVM, before sending", async () => {
      const r = await cli.run(["big-blocks", "--network", "hyperevm", "--on", "--testnet", "--api", hl.url, "--json"], {
        env: rpcEnv(),
      });
      assert.equal(r.code, 2);
      assert.match(r.json().error.message, /--network hyperevm is chain 999, but the testnet HyperEVM is chain 998/);
      assert.equal(r.json().error.hint, "Drop --testnet.");
      hl.chainId = 42161;
      const other = await cli.run(["big-blocks", "--network", "hyperevm", "--on", "--api", hl.url, "--json"], {
        env: rpcEnv(),
      });
      assert.equal(other.code, 2);
      assert.match(other.json().error.message, /chain 42161/);
      assert.equal(hl.exchangeRequests.length, 0);
    });

    it("an ok answer the chain never reflects: exit 1, not applied", async () => {
      hl.mode = "ignore";
      const r = await cli.run(["big-blocks", "--network", "hyperevm", "--on", "--api", hl.url, "--json"], {
        env: rpcEnv(),
      });
      assert.equal(r.code, 1);
      assert.equal(r.json().confirmed, false);
      assert.equal(r.json().observed, false);
      assert.equal(hl.exchangeRequests.length, 1);
    });
  });
});
