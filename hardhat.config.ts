import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatViemAssertions from "@nomicfoundation/hardhat-viem-assertions";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";

const require = createRequire(import.meta.url);

// The hub chain family runs small blocks of 2,000,000 gas; every keeper transaction must fit one.
export const SMALL_BLOCK_GAS = 2_000_000n;

const env = process.env;
const isCI = env.CI === "true";

export default defineConfig({
  plugins: [hardhatViem, hardhatViemAssertions, hardhatNodeTestRunner, hardhatNetworkHelpers],
  solidity: {
    // solc-js from the npm `solc` package: no compiler download at build time.
    version: "0.8.28",
    path: require.resolve("solc/soljson.js"),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["storageLayout"] } },
    },
  },
  paths: { sources: "contracts", tests: { solidity: "test/contracts", nodejs: "test/ts" } },
  test: {
    solidity: {
      fuzz: { runs: isCI ? 1000 : 256, seed: "0x4445584554524121" },
      invariant: { runs: isCI ? 100 : 50, depth: 100 },
    },
  },
  networks: {
    // In-process hub chain with HyperEVM's small-block gas limit.
    hub: { type: "edr-simulated", chainType: "l1", chainId: 999, blockGasLimit: SMALL_BLOCK_GAS },
    // Big-block hub for deployments and market creation (30M gas).
    hubBig: { type: "edr-simulated", chainType: "l1", chainId: 999, blockGasLimit: 30_000_000n },
    spoke: { type: "edr-simulated", chainType: "l1", chainId: 42161 },
    // Any JSON-RPC chain: URL and key come from the environment, never from the repo.
    rpc: {
      type: "http",
      chainType: "l1",
      url: env.DEXETRA_RPC_URL ?? "http://127.0.0.1:8545",
      accounts: env.DEXETRA_PRIVATE_KEY ? [env.DEXETRA_PRIVATE_KEY] : "remote",
    },
  },
});
