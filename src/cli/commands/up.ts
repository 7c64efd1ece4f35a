// `dexetra up`: the whole stack on loopback for people who want to click around or point a wallet
// at it: hub and spoke JSON-RPC chains, the system deployed and recorded (network "local"), then
// keeper, monitor and dashboard (and the relayer when DEXETRA_RELAYER_CONFIG is set). Ctrl-C stops
// everything cleanly.
import { numberToHex, type EIP1193Provider } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { CommandSpec } from "../command.ts";
import { fromProvider } from "../../chain/connect.ts";
import { runCli } from "../main.ts";
import { intFlag, untilStopped } from "../internal/service.ts";
import { serveJsonRpc } from "../internal/rpcServer.ts";
import { setBlockGasLimit } from "../../keeper/scenario.ts";

const collect = (v: string, prev: string[] = []) => [...prev, v];

export const up: CommandSpec = {
  name: "up",
  description:
    "start hub + spoke JSON-RPC chains on loopback, deploy and record the system, run keeper, monitor, dashboard",
  sends: false,
  options: (cmd) =>
    cmd
      .option("--hub-port <n>", "hub JSON-RPC port (chain id 999, 2,000,000-gas blocks)", "8545")
      .option("--spoke-port <n>", "spoke JSON-RPC port (chain id 42161)", "8546")
      .option("--dashboard-port <n>", "dashboard port", "8080")
      .option("--keeper-port <n>", "keeper /health and /metrics port", "9464")
      .option("--monitor-port <n>", "monitor /health and /metrics port", "9465")
      .option("--market <spec>", "SYMBOL:START_PRICE:MAX_LEVERAGE (repeatable)", collect)
      .option("--duration <seconds>", "stop after this long (default: until Ctrl-C)"),
  async run(ctx, opts) {
    const { network } = await import("hardhat");
    const hub = await network.create("hub");
    const spoke = await network.create("spoke");
    const hubRpc = await serveJsonRpc(hub.provider as never, intFlag("--hub-port", opts.hubPort, 0)!);
    const spokeRpc = await serveJsonRpc(spoke.provider as never, intFlag("--spoke-port", opts.spokePort, 0)!);
    const conn = await fromProvider("local", hub.provider as unknown as EIP1193Provider, true);
    const io = { ...ctx.io, conns: { ...ctx.io.conns, local: conn } };
    const markets = (opts.market as string[] | undefined) ?? ["ETH-USD:3000:10", "BTC-USD:60000:10"];
    ctx.progress(`hub   ${hubRpc.url} (chain 999)\nspoke ${spokeRpc.url} (chain 42161)`);

    // Deployments go in big blocks (HyperEVM's 30M-gas blocks), everything after in small ones.
    await setBlockGasLimit(hub.provider as never, 30_000_000n);
    // The admin of this throwaway stack: a fresh key, funded on the dev chain, never printed.
    const adminKey = generatePrivateKey();
    await hub.provider.request({
      method: "hardhat_setBalance",
      params: [privateKeyToAccount(adminKey).address, numberToHex(10n ** 22n)],
    });
    const deployed = await runCli(["deploy", "--network", "local", ...markets.flatMap((m) => ["--market", m])], {
      ...io,
      env: { ...io.env, DEXETRA_PRIVATE_KEY: adminKey },
    });
    await setBlockGasLimit(hub.provider as never, 2_000_000n);
    if (deployed !== 0) throw new Error(`dexetra deploy failed (exit ${deployed})`);

    const duration = opts.duration === undefined ? [] : ["--duration", String(opts.duration)];
    const stop = untilStopped(intFlag("--duration", opts.duration, 0));
    const services = [
      runCli(["keeper", "--network", "local", "--port", String(opts.keeperPort), ...duration], io),
      runCli(["monitor", "--network", "local", "--port", String(opts.monitorPort), ...duration], io),
      runCli(
        [
          "dashboard",
          "--network",
          "local",
          "--port",
          String(opts.dashboardPort),
          "--keeper-url",
          `http://127.0.0.1:${String(opts.keeperPort)}`,
          "--monitor-url",
          `http://127.0.0.1:${String(opts.monitorPort)}`,
          ...duration,
        ],
        io,
      ),
    ];
    let relayerStop: (() => Promise<void>) | undefined;
    if (ctx.io.env.DEXETRA_RELAYER_CONFIG) {
      const { startRelayerFromEnv } = await import("../../relayer/main.ts");
      relayerStop = (await startRelayerFromEnv(ctx.io.env)).stop;
    } else ctx.progress("relayer: not started (set DEXETRA_RELAYER_CONFIG and its keys to run it)");
    ctx.progress(
      `dashboard http://127.0.0.1:${String(opts.dashboardPort)}/ · other terminals: DEXETRA_RPC_URL_LOCAL=${hubRpc.url} dexetra check --network local`,
    );
    const why = await stop;
    const codes = await Promise.all(services);
    await relayerStop?.();
    await hubRpc.close();
    await spokeRpc.close();
    await hub.close();
    await spoke.close();
    return {
      data: { stoppedBy: why, hub: hubRpc.url, spoke: spokeRpc.url, exitCodes: codes },
      text: `stack stopped (${why})\n`,
      ...(codes.some((c) => c !== 0) ? { exitCode: 1 } : {}),
    };
  },
};
