// `node src/relayer/main.ts`: run the relayer against live chains until SIGINT/SIGTERM.
// Config: DEXETRA_RELAYER_CONFIG (JSON, see config.ts); keys: DEXETRA_RELAYER_SENDER_KEY and
// DEXETRA_RELAYER_SIGNER_KEYS / DEXETRA_RELAYER_KEYFILE (see keys.ts). Never from the repository.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Hex } from "viem";
import { buildRoutes, loadRelayerConfig } from "./config.ts";
import { loadSigners } from "./keys.ts";
import { Relayer } from "./relayer.ts";
import { RelayerStore } from "./store.ts";
import { startHealthServer } from "./health.ts";
import { RelayerError } from "./errors.ts";

export async function startRelayerFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const cfg = loadRelayerConfig(env);
  const sender = env.DEXETRA_RELAYER_SENDER_KEY;
  if (!sender) throw new RelayerError("CONFIG", "set DEXETRA_RELAYER_SENDER_KEY (gas payer, no roles)");
  mkdirSync(dirname(cfg.db), { recursive: true });
  const relayer = new Relayer({
    routes: buildRoutes(cfg, sender as Hex),
    signers: loadSigners(env),
    store: new RelayerStore(cfg.db),
    pollIntervalMs: cfg.pollIntervalMs,
    maxAttempts: cfg.maxAttempts,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  relayer.start();
  const health = await startHealthServer(relayer, cfg.healthPort);
  console.log(`relayer running; health at ${health.url}/health, metrics at ${health.url}/metrics`);
  return {
    relayer,
    health,
    stop: async () => {
      await relayer.stop();
      await health.close();
      relayer.store.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startRelayerFromEnv();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      void running.stop().then(() => process.exit(0));
    });
  }
}
