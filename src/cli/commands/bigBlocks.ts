// `dexetra big-blocks --on|--off`: opt the signing account into HyperEVM big blocks (30M gas,
// ~60 s) before a deploy, and back to small blocks (2M gas, ~1 s) afterwards. A HyperCore
// `evmUserModify` action, signed by the same key that deploys and POSTed to the exchange API; no
// EVM transaction. When --network is an RPC network, its chain id must be the HyperEVM of the
// signed network, and the flag is read back with `eth_usingBigBlocks` after sending.
import { privateKeyToAccount } from "viem/accounts";
import { IN_PROCESS_NETWORKS, signerKey } from "../../chain/connect.ts";
import { DexetraError, ErrorCodes } from "../../config/errors.ts";
import {
  HYPEREVM_CHAIN_ID,
  HYPERLIQUID_API,
  awaitUsingBigBlocks,
  evmUserModifyAction,
  exchangeUrl,
  knownApiNetwork,
  readUsingBigBlocks,
  signEvmUserModify,
  submitL1Action,
} from "../../hyperevm/bigBlocks.ts";
import type { CommandSpec } from "../command.ts";

type Rpc = Parameters<typeof readUsingBigBlocks>[0];

export const bigBlocks: CommandSpec = {
  name: "big-blocks",
  description:
    "opt the signer into HyperEVM big blocks (--on, before deploy/redeploy-corevault) or back to small blocks (--off)",
  sends: true,
  options: (cmd) =>
    cmd
      .option("--on", "use big blocks (30M gas, ~60 s): before a deployment", false)
      .option("--off", "back to small blocks (2M gas, ~1 s): after it", false)
      .option("--testnet", 'Hyperliquid testnet (signature source "b", HyperEVM chain 998)', false)
      .option(
        "--api <url>",
        `exchange API base URL (default ${HYPERLIQUID_API.mainnet}, testnet ${HYPERLIQUID_API.testnet})`,
      ),
  async run(ctx, opts) {
    const on = Boolean(opts.on);
    if (on === Boolean(opts.off)) {
      throw new DexetraError(
        ErrorCodes.BAD_FLAG,
        on ? "--on and --off together: choose one" : "one of --on or --off is required",
      );
    }
    if (ctx.g.safe !== undefined) {
      throw new DexetraError(
        ErrorCodes.BAD_FLAG,
        "--safe does not apply to `dexetra big-blocks`: the flag belongs to the deploying account, which signs it itself",
      );
    }
    const testnet = Boolean(opts.testnet);
    const net = testnet ? "testnet" : "mainnet";
    const api = (opts.api as string | undefined) ?? HYPERLIQUID_API[net];
    const url = exchangeUrl(api, "--api");
    const apiNet = knownApiNetwork(api);
    if (apiNet && apiNet !== net) {
      throw new DexetraError(
        ErrorCodes.BAD_FLAG,
        `--api ${api} is the ${apiNet} API but the action would be signed for ${net}`,
        { hint: apiNet === "testnet" ? "Add --testnet." : "Drop --testnet." },
      );
    }
    const { key } = signerKey({ env: ctx.io.env, ...(ctx.g.keystore ? { keystore: ctx.g.keystore } : {}) });
    const account = key ? privateKeyToAccount(key) : undefined;
    if (!account && !ctx.g.plan) {
      throw new DexetraError(ErrorCodes.NO_SIGNER, "no signer: `dexetra big-blocks` signs a HyperCore action", {
        hint: "Set DEXETRA_PRIVATE_KEY, or pass --keystore <file> with DEXETRA_KEYSTORE_PASSWORD (the key that will deploy).",
      });
    }
    const action = evmUserModifyAction(on);
    const nonce = Date.now();
    const signer = account?.address;
    const what = on ? "big blocks ON" : "big blocks OFF (small blocks)";

    if (ctx.g.plan) {
      return {
        data: { plan: true, action, nonce, signer: signer ?? null, url, testnet },
        text:
          `${what} for ${signer ?? "(no signer configured)"} on ${net} — plan only, nothing sent\n` +
          `  POST ${url}\n  action ${JSON.stringify(action)}\n  nonce  ${nonce}\n`,
      };
    }
    if (!account) throw new Error("unreachable: signer checked above");

    // A real HyperEVM network: refuse the wrong one before signing, read the flag back afterwards.
    let rpc: Rpc | undefined;
    if (!(IN_PROCESS_NETWORKS as readonly string[]).includes(ctx.network)) {
      const conn = await ctx.conn();
      const want = HYPEREVM_CHAIN_ID[net];
      if (conn.chainId !== want) {
        throw new DexetraError(
          ErrorCodes.BAD_FLAG,
          `--network ${ctx.network} is chain ${conn.chainId}, but the ${net} HyperEVM is chain ${want}`,
          {
            hint:
              conn.chainId === HYPEREVM_CHAIN_ID[testnet ? "mainnet" : "testnet"]
                ? testnet
                  ? "Drop --testnet."
                  : "Add --testnet."
                : "Pass the --network you will deploy to on HyperEVM.",
          },
        );
      }
      rpc = conn.provider.request.bind(conn.provider) as unknown as Rpc;
    }

    const body = await signEvmUserModify(account, on, { nonce, testnet });
    ctx.progress(`${what} for ${signer} on ${net}: POST ${url}`);
    const answer = await submitL1Action(url, body);
    const check = rpc ? await awaitUsingBigBlocks(() => readUsingBigBlocks(rpc, account.address), on) : undefined;

    const lines = [`${what} for ${signer} on ${net}: exchange answered ok`];
    if (check?.confirmed === true) lines.push(`eth_usingBigBlocks on ${ctx.network}: ${check.observed} (confirmed)`);
    if (check?.confirmed === undefined && rpc)
      lines.push(`eth_usingBigBlocks is not offered by the --network ${ctx.network} RPC: not confirmed`);
    if (check?.confirmed === false)
      lines.push(`eth_usingBigBlocks on ${ctx.network} still reads ${check.observed}: NOT applied yet; run again`);
    lines.push(
      on
        ? "next: dexetra deploy / redeploy-corevault, then dexetra big-blocks --off (keepers need small blocks)"
        : "keeper transactions from this account go to small blocks again",
    );
    return {
      data: {
        signer,
        usingBigBlocks: on,
        testnet,
        url,
        nonce,
        action,
        response: answer.response,
        ...(check ? { confirmed: check.confirmed ?? null, observed: check.observed ?? null } : {}),
      },
      text: lines.join("\n") + "\n",
      ...(check?.confirmed === false ? { exitCode: 1 } : {}),
    };
  },
};
