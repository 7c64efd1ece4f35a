// Deploy MockUSDC (optional) + VaultRiskModule + CoreVault implementation + ERC-1967 proxy through a
// hardhat-viem handle and return typed contract handles. Used by tests, benches and the demo.
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { encodeFunctionData, getContract, type Address } from "viem";
import { coreVaultAbi } from "./abi/coreVault.ts";
import { mockUsdcAbi } from "./abi/mockUsdc.ts";

export interface DeployVaultOptions {
  /** Existing 6-decimal collateral token; when absent a MockUSDC(6) is deployed. */
  usdc?: Address;
  /** Receives DEFAULT_ADMIN_ROLE (defaults to the first wallet account). */
  admin?: Address;
}

export type VaultDeployment = Awaited<ReturnType<typeof deployVault>>;

export async function deployVault(viem: HardhatViemHelpers, opts: DeployVaultOptions = {}) {
  const [deployer] = await viem.getWalletClients();
  if (!deployer) throw new Error("deployVault: the network has no wallet account");
  const publicClient = await viem.getPublicClient();
  const client = { public: publicClient, wallet: deployer };
  const admin = opts.admin ?? deployer.account.address;

  const usdcAddress = opts.usdc ?? (await viem.deployContract("MockUSDC", [6])).address;
  const riskModule = await viem.deployContract("VaultRiskModule", []);
  const implementation = await viem.deployContract("CoreVault", [riskModule.address]);
  const initData = encodeFunctionData({ abi: coreVaultAbi, functionName: "initialize", args: [usdcAddress, admin] });
  const proxy = await viem.deployContract("CoreVaultProxy", [implementation.address, initData]);

  return {
    usdc: getContract({ address: usdcAddress, abi: mockUsdcAbi, client }),
    vault: getContract({ address: proxy.address, abi: coreVaultAbi, client }),
    implementation: implementation.address as Address,
    riskModule: riskModule.address as Address,
    publicClient,
  };
}
