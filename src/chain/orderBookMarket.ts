// One market end to end on an in-process chain: CoreVault (deployVault), the facet set, one
// order-book diamond wired to the vault, and typed handles. Shared by the bench, the hub test
// and the demo chapter. Deployment runs with a raised block gas limit (the hub's big blocks);
// callers restore the small-block limit before measuring keeper traffic.
import { getContract, keccak256, toHex, type Address, type Hash, type Hex, type TransactionReceipt } from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { deployVault } from "./deployVault.ts";
import { deployOrderBook, deployOrderBookFacets, type MarketParams } from "./deployOrderBook.ts";
import { obTradingAbi } from "./abi/obTrading.ts";
import { obViewsAbi } from "./abi/obViews.ts";
import { obLiquidationAbi } from "./abi/obLiquidation.ts";
import { obVaultAdminAbi } from "./abi/obVaultAdmin.ts";

export const BIG_BLOCK_GAS = 30_000_000n;

export type Market = Awaited<ReturnType<typeof deployMarket>>;

/** Set the chain's block gas limit (EDR `evm_setBlockGasLimit`) and mine one block under it. */
export async function setBlockGasLimit(viem: HardhatViemHelpers, gas: bigint): Promise<void> {
  const test = await viem.getTestClient();
  await test.setBlockGasLimit({ gasLimit: gas });
  await test.mine({ blocks: 1 });
}

export async function deployMarket(
  viem: HardhatViemHelpers,
  opts: { symbol?: string; params?: Partial<MarketParams>; initialMarginBps?: bigint } = {},
) {
  const publicClient = await viem.getPublicClient();
  const [admin] = await viem.getWalletClients();
  if (!admin) throw new Error("deployMarket: the network has no wallet account");
  const before = (await publicClient.getBlock()).gasLimit;
  if (before < BIG_BLOCK_GAS) await setBlockGasLimit(viem, BIG_BLOCK_GAS);
  const { usdc, vault, implementation, riskModule } = await deployVault(viem);
  const set = await deployOrderBookFacets(viem);
  const marketId: Hex = keccak256(toHex(opts.symbol ?? "ETH-USD"));
  const owner = admin.account.address;
  const book = await deployOrderBook(viem, set, {
    owner,
    vault: vault.address,
    marketId,
    feeRecipient: owner,
    params: opts.params,
  });
  const wait = (h: Hash) => receipt(publicClient, h);
  await wait(await vault.write.registerOrderBook([book]));
  await wait(await vault.write.assignMarketToOrderBook([marketId, book]));
  await wait(await vault.write.setMarketRiskParams([marketId, opts.initialMarginBps ?? 1_000n]));
  if (before < BIG_BLOCK_GAS) await setBlockGasLimit(viem, before);
  const client = { public: publicClient, wallet: admin };
  return {
    publicClient,
    usdc,
    vault,
    marketId,
    book,
    facets: set,
    /** Code addresses by name, for gas profiles. */
    names: {
      [vault.address]: "CoreVault(proxy)",
      [implementation]: "CoreVault",
      [riskModule]: "VaultRiskModule",
      [book]: "Diamond",
      [usdc.address]: "MockUSDC",
      ...Object.fromEntries(set.facets.map((f) => [f.address, f.name])),
    } as Record<string, string>,
    trading: getContract({ address: book, abi: obTradingAbi, client }),
    views: getContract({ address: book, abi: obViewsAbi, client }),
    liquidation: getContract({ address: book, abi: obLiquidationAbi, client }),
    admin: getContract({ address: book, abi: obVaultAdminAbi, client }),
  };
}

/** Wait for a transaction and fail loudly when it reverted. */
export async function receipt(
  publicClient: { waitForTransactionReceipt: (a: { hash: Hash }) => Promise<TransactionReceipt> },
  hash: Hash,
): Promise<TransactionReceipt> {
  const r = await publicClient.waitForTransactionReceipt({ hash });
  if (r.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return r;
}

/** Mint MockUSDC to `user` and deposit it into the vault from the user's own account. */
export async function fund(m: Market, user: Address, amount: bigint): Promise<void> {
  await receipt(m.publicClient, await m.usdc.write.mint([user, amount]));
  await receipt(m.publicClient, await m.usdc.write.approve([m.vault.address, amount], { account: user }));
  await receipt(m.publicClient, await m.vault.write.deposit([amount], { account: user }));
}
