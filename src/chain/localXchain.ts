// Two in-process chains wired for cross-chain collateral: the hub (chain id 999, 2,000,000-gas
// blocks) with CoreVault + CollateralHub, and a spoke (chain id 42161) with USDC + SpokeVault,
// each with its own ThresholdVerifier over the same m-of-n signer set. Tests, the bench and the
// demo all start from here. Signer keys are generated per run: nothing secret lives in the repo.
import { network } from "hardhat";
import { parseUnits, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  deployCollateralHub,
  deploySpokeVault,
  deployThresholdVerifier,
  type Limits,
  type Viem,
} from "./deployCollateral.ts";
import { LocalSigner } from "../relayer/signers.ts";
import { deployVault } from "./deployVault.ts";
import { spokeRoutes, type Endpoint } from "../relayer/types.ts";

export const HUB_CHAIN_ID = 999n;
export const SPOKE_CHAIN_ID = 42161n;
const BIG_BLOCK_GAS = 30_000_000n;
const SMALL_BLOCK_GAS = 2_000_000n;

type Provider = Awaited<ReturnType<typeof network.create>>["provider"];

/** HyperEVM deploys in 30M-gas big blocks; everything else must fit the 2M small blocks. */
export async function inBigBlocks<T>(provider: Provider, fn: () => Promise<T>): Promise<T> {
  await provider.request({ method: "evm_setBlockGasLimit", params: [`0x${BIG_BLOCK_GAS.toString(16)}`] });
  await provider.request({ method: "evm_mine", params: [] });
  try {
    return await fn();
  } finally {
    await provider.request({ method: "evm_setBlockGasLimit", params: [`0x${SMALL_BLOCK_GAS.toString(16)}`] });
    await provider.request({ method: "evm_mine", params: [] });
  }
}

export const DEFAULT_LIMITS: Limits = {
  maxPerMessage: parseUnits("100000", 6),
  maxPerPeriod: parseUnits("1000000", 6),
  period: 86_400n,
};

export type XchainOptions = { signers?: number; threshold?: number; limits?: Limits };

export async function setupXchain(opts: XchainOptions = {}) {
  const nSigners = opts.signers ?? 3;
  const threshold = BigInt(opts.threshold ?? 2);
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const hubNet = await network.create("hub");
  const spokeNet = await network.create("spoke");
  const hv = hubNet.viem;
  const sv = spokeNet.viem;
  const [hubAdmin, hubRelayer, ...hubUsers] = await hv.getWalletClients();
  const [spokeAdmin, spokeRelayer, ...spokeUsers] = await sv.getWalletClients();
  const hubPublic = await hv.getPublicClient();
  const spokePublic = await sv.getPublicClient();
  if (!hubAdmin || !hubRelayer || !spokeAdmin || !spokeRelayer) throw new Error("need at least two accounts");

  const keys: Hex[] = Array.from({ length: nSigners }, () => generatePrivateKey());
  const signerAccounts = keys.map((k) => privateKeyToAccount(k));
  const signerAddrs = signerAccounts.map((a) => a.address);
  const signers = signerAccounts.map((a) => new LocalSigner(a));

  // ---- hub chain (deployments in big blocks)
  const hubSide = await inBigBlocks(hubNet.provider, async () => {
    const vault = await deployHubVault(hv, hubAdmin.account.address);
    const verifier = await deployThresholdVerifier(hv, hubAdmin.account.address, signerAddrs, threshold);
    const hub = await deployCollateralHub(hv, {
      admin: hubAdmin.account.address,
      vault: vault.address,
      operator: hubAdmin.account.address,
      verifier: verifier.address,
    });
    await vault.grantCreditor(hub.address);
    return { vault, verifier, hub };
  });
  const hubStart = await hubPublic.getBlockNumber({ cacheTime: 0 });

  // ---- spoke chain
  const usdc = await sv.deployContract("MockUSDC", [6]);
  const spokeVerifier = await deployThresholdVerifier(sv, spokeAdmin.account.address, signerAddrs, threshold);
  const spoke = await deploySpokeVault(sv, {
    admin: spokeAdmin.account.address,
    usdc: usdc.address,
    hubChainId: HUB_CHAIN_ID,
    hub: hubSide.hub.address,
    verifier: spokeVerifier.address,
    depositLimits: limits,
    releaseLimits: limits,
  });
  const spokeStart = await spokePublic.getBlockNumber({ cacheTime: 0 });
  await hubSide.hub.write.setSpoke!([SPOKE_CHAIN_ID, spoke.address, true, limits]);

  const hubEndpoint: Endpoint = {
    name: "hub",
    chainId: HUB_CHAIN_ID,
    contract: hubSide.hub.address,
    verifier: hubSide.verifier.address,
    publicClient: hubPublic,
    walletClient: hubRelayer,
  };
  const spokeEndpoint: Endpoint = {
    name: "spoke",
    chainId: SPOKE_CHAIN_ID,
    contract: spoke.address,
    verifier: spokeVerifier.address,
    publicClient: spokePublic,
    walletClient: spokeRelayer,
  };
  const routes = spokeRoutes(hubEndpoint, spokeEndpoint, { hub: hubStart, spoke: spokeStart });

  return {
    hubNet,
    spokeNet,
    hubViem: hv,
    spokeViem: sv,
    hubAdmin,
    spokeAdmin,
    hubUsers,
    spokeUsers,
    hubPublic,
    spokePublic,
    vault: hubSide.vault,
    hub: hubSide.hub,
    hubVerifier: hubSide.verifier,
    usdc,
    spoke,
    spokeVerifier,
    signers,
    signerKeys: keys,
    routes,
    limits,
    /** Deploy another CoreVault on the hub (for a vault swap) with the hub as external creditor. */
    deployAnotherVault: () =>
      inBigBlocks(hubNet.provider, async () => {
        const v = await deployHubVault(hv, hubAdmin.account.address);
        await v.grantCreditor(hubSide.hub.address);
        return v;
      }),
  };
}

export type Xchain = Awaited<ReturnType<typeof setupXchain>>;

/** A CoreVault (proxy) on the hub with the hub's MockUSDC, plus the creditor grant the hub needs. */
async function deployHubVault(viem: Viem, admin: Address) {
  const { vault, usdc } = await deployVault(viem, { admin });
  const creditor = await vault.read.EXTERNAL_CREDITOR_ROLE();
  return {
    address: vault.address,
    contract: vault,
    usdc,
    grantCreditor: async (who: Address) => {
      await vault.write.grantRole([creditor, who]);
    },
    externalCreditOf: (user: Address) => vault.read.externalCreditOf([user]),
  };
}
