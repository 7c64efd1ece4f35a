// Deploys the cross-chain collateral contracts on a Hardhat-connected chain: a ThresholdVerifier,
// and a CollateralHub or SpokeVault behind its ERC-1967 proxy. Used by tests, the bench and the demo;
// a live deployment goes through the same functions with RPC-backed clients.
import { encodeFunctionData, type Address } from "viem";
import type { network } from "hardhat";

export type Viem = Awaited<ReturnType<typeof network.create>>["viem"];

export type Limits = { maxPerMessage: bigint; maxPerPeriod: bigint; period: bigint };

export async function deployThresholdVerifier(viem: Viem, admin: Address, signers: Address[], threshold: bigint) {
  return viem.deployContract("ThresholdVerifier", [admin, signers, threshold]);
}

/** CollateralHub behind a CollateralProxy, initialized in the proxy's constructor (no front-running gap). */
export async function deployCollateralHub(
  viem: Viem,
  p: { admin: Address; vault: Address; operator: Address; verifier: Address },
) {
  const impl = await viem.deployContract("CollateralHub");
  const data = encodeFunctionData({
    abi: impl.abi,
    functionName: "initialize",
    args: [p.admin, p.vault, p.operator, p.verifier],
  });
  const proxy = await viem.deployContract("CollateralProxy", [impl.address, data]);
  return viem.getContractAt("CollateralHub", proxy.address);
}

/** SpokeVault behind a CollateralProxy. */
export async function deploySpokeVault(
  viem: Viem,
  p: {
    admin: Address;
    usdc: Address;
    hubChainId: bigint;
    hub: Address;
    verifier: Address;
    depositLimits: Limits;
    releaseLimits: Limits;
  },
) {
  const impl = await viem.deployContract("SpokeVault");
  const data = encodeFunctionData({
    abi: impl.abi,
    functionName: "initialize",
    args: [p.admin, p.usdc, p.hubChainId, p.hub, p.verifier, p.depositLimits, p.releaseLimits],
  });
  const proxy = await viem.deployContract("CollateralProxy", [impl.address, data]);
  return viem.getContractAt("SpokeVault", proxy.address);
}
