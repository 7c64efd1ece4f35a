// A liquidation cascade on a dev chain, used by the keeper's tests, bench and demo chapter:
// the real CoreVault (proxy) and one real OrderBook diamond per market, a whale making the market,
// N levered longs per market, then the book reprices (whale bids lower, a small print) so every
// long is liquidatable. Deployment and setup run in "big blocks" (evm_setBlockGasLimit 30M, like
// HyperEVM's big blocks); the cascade itself runs in 2,000,000-gas small blocks.
import {
  encodeFunctionData,
  keccak256,
  numberToHex,
  parseUnits,
  toHex,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { deployVault } from "../chain/deployVault.ts";
import { deployOrderBook, deployOrderBookFacets, orderBookAbi as mergedBookAbi } from "../chain/deployOrderBook.ts";
import { coreVaultAbi } from "../chain/abi/coreVault.ts";
import { mockUsdcAbi } from "../chain/abi/mockUsdc.ts";
import { clientFromProvider } from "./rpc.ts";
import { Keeper } from "./keeper.ts";
import { SqliteStore } from "./sqliteStore.ts";
import { fillsPlanner } from "./rewards.ts";
import { DeploymentRecordSchema, SCHEMA_VERSION, type DeploymentRecord } from "../config/schema.ts";

export const USDC = (v: string) => parseUnits(v, 6);
export const UNITS = (v: string) => parseUnits(v, 18);

type Provider = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };
export type DevChain = { viem: HardhatViemHelpers; provider: Provider };

export type CascadeOptions = {
  symbols?: string[];
  /** Levered longs per market (one entry per symbol, or one number for all). */
  victims: number | number[];
  /** Entry price and the price the book reprices to (USDC, 6 dp). */
  entry?: bigint;
  crashTo?: bigint;
  /** Each long deposits this and buys `size` at `entry` with 10x initial margin. */
  deposit?: bigint;
  /** Per-victim deposits (cycled), to give accounts different health; overrides `deposit`. */
  deposits?: bigint[];
  size?: bigint;
  rewardKeeper?: Address;
  smallBlockGas?: bigint;
};

export type Market = { symbol: string; marketId: Hex; book: Address; victims: Address[] };

export type Cascade = {
  client: PublicClient;
  chainId: number;
  admin: Address;
  whale: PrivateKeyAccount;
  usdc: Address;
  vault: Address;
  bookAbi: Abi;
  markets: Market[];
  deployBlock: bigint;
};

/** `n` fresh keeper keys, each funded with 1,000 ETH on the dev chain (one nonce lane per key). */
export async function fundedKeys(p: Provider, n: number): Promise<PrivateKeyAccount[]> {
  const keys = Array.from({ length: n }, () => privateKeyToAccount(generatePrivateKey()));
  for (const k of keys) await p.request({ method: "hardhat_setBalance", params: [k.address, numberToHex(10n ** 21n)] });
  return keys;
}

export async function setBlockGasLimit(p: Provider, gas: bigint): Promise<void> {
  await p.request({ method: "evm_setBlockGasLimit", params: [numberToHex(gas)] });
  await p.request({ method: "evm_mine", params: [] });
}

/** Send pre-signed transactions with automine off and mine until every one has a receipt. */
export async function sendAndMine(p: Provider, client: PublicClient, raws: Hex[], maxBlocks = 10_000): Promise<void> {
  await p.request({ method: "evm_setAutomine", params: [false] });
  try {
    const hashes: Hex[] = [];
    for (const raw of raws) hashes.push((await p.request({ method: "eth_sendRawTransaction", params: [raw] })) as Hex);
    for (let i = 0; i < maxBlocks; i++) {
      const pending = (await p.request({ method: "eth_getBlockByNumber", params: ["pending", false] })) as {
        transactions: unknown[];
      } | null;
      if (!pending || pending.transactions.length === 0) break;
      await p.request({ method: "evm_mine", params: [] });
    }
    for (const h of hashes) {
      const r = await client.getTransactionReceipt({ hash: h });
      if (r.status !== "success") throw new Error(`setup transaction ${h} reverted`);
    }
  } finally {
    await p.request({ method: "evm_setAutomine", params: [true] });
  }
}

async function fund(p: Provider, a: Address): Promise<void> {
  await p.request({ method: "hardhat_setBalance", params: [a, numberToHex(10n ** 20n)] });
}

/** Sign a call from a local key at an explicit nonce (setup traffic, no estimation round trip). */
async function signCall(
  chainId: number,
  from: PrivateKeyAccount,
  nonce: number,
  to: Address,
  data: Hex,
  gas = 900_000n,
): Promise<Hex> {
  return from.signTransaction({
    type: "eip1559",
    chainId,
    nonce,
    to,
    data,
    gas,
    maxFeePerGas: 10n ** 10n,
    maxPriorityFeePerGas: 10n ** 9n,
  });
}

export async function buildCascade(chain: DevChain, o: CascadeOptions): Promise<Cascade> {
  const p = chain.provider;
  const symbols = o.symbols ?? ["ETH-USD"];
  const counts = symbols.map((_, i) => (Array.isArray(o.victims) ? (o.victims[i] ?? 0) : o.victims));
  const entry = o.entry ?? USDC("1000");
  const crashTo = o.crashTo ?? USDC("905");
  const defaultDeposit = o.deposit ?? USDC("130");
  const size = o.size ?? UNITS("1");
  const client = clientFromProvider(p as never, Number(await p.request({ method: "eth_chainId" })));
  const chainId = await client.getChainId();

  await setBlockGasLimit(p, 30_000_000n); // deployments and setup go in big blocks
  const [adminWallet] = await chain.viem.getWalletClients();
  const admin = adminWallet!.account.address;
  const deployBlock = await client.getBlockNumber({ cacheTime: 0 });
  const { usdc, vault } = await deployVault(chain.viem);
  const set = await deployOrderBookFacets(chain.viem);
  const bookAbi = mergedBookAbi(set);

  const whale = privateKeyToAccount(generatePrivateKey());
  await fund(p, whale.address);
  let whaleNonce = 0;
  const whaleTx = (to: Address, data: Hex) => signCall(chainId, whale, whaleNonce++, to, data, 3_000_000n);
  const vaultAddr = vault.address;
  const depositWhale = USDC("100000000");
  await sendAndMine(p, client, [
    await whaleTx(
      usdc.address,
      encodeFunctionData({ abi: mockUsdcAbi, functionName: "mint", args: [whale.address, depositWhale] }),
    ),
    await whaleTx(
      usdc.address,
      encodeFunctionData({ abi: mockUsdcAbi, functionName: "approve", args: [vaultAddr, depositWhale] }),
    ),
    await whaleTx(vaultAddr, encodeFunctionData({ abi: coreVaultAbi, functionName: "deposit", args: [depositWhale] })),
  ]);

  const markets: Market[] = [];
  for (const [i, symbol] of symbols.entries()) {
    const marketId = keccak256(toHex(symbol));
    const book = await deployOrderBook(chain.viem, set, {
      owner: admin,
      vault: vaultAddr,
      marketId,
      feeRecipient: admin,
    });
    await vault.write.registerOrderBook([book]);
    await vault.write.assignMarketToOrderBook([marketId, book]);
    await vault.write.setMarketRiskParams([marketId, 1_000n]);
    // The spec's wiring: ORDERBOOK_ROLE (granted by registerOrderBook) and SETTLEMENT_ROLE to every book.
    await vault.write.grantRole([keccak256(toHex("SETTLEMENT_ROLE")), book]);
    if (o.rewardKeeper) {
      await adminWallet!.writeContract({
        address: book,
        abi: bookAbi,
        functionName: "setRewardKeeper",
        args: [o.rewardKeeper],
      });
    }
    const n = counts[i]!;
    const victims = Array.from({ length: n }, () => privateKeyToAccount(generatePrivateKey()));
    for (const v of victims) await fund(p, v.address);
    const ask = BigInt(n) * size;
    const raws: Hex[] = [];
    if (n > 0)
      raws.push(
        await whaleTx(
          book,
          encodeFunctionData({ abi: bookAbi, functionName: "placeMarginLimitOrder", args: [entry, ask, false] }),
        ),
      );
    for (const [j, v] of victims.entries()) {
      const deposit = o.deposits?.length ? o.deposits[j % o.deposits.length]! : defaultDeposit;
      raws.push(
        await signCall(
          chainId,
          v,
          0,
          usdc.address,
          encodeFunctionData({ abi: mockUsdcAbi, functionName: "mint", args: [v.address, deposit] }),
        ),
        await signCall(
          chainId,
          v,
          1,
          usdc.address,
          encodeFunctionData({ abi: mockUsdcAbi, functionName: "approve", args: [vaultAddr, deposit] }),
        ),
        await signCall(
          chainId,
          v,
          2,
          vaultAddr,
          encodeFunctionData({ abi: coreVaultAbi, functionName: "deposit", args: [deposit] }),
        ),
        await signCall(
          chainId,
          v,
          3,
          book,
          encodeFunctionData({ abi: bookAbi, functionName: "placeMarginMarketOrder", args: [size, true] }),
        ),
      );
    }
    await sendAndMine(p, client, raws);
    markets.push({ symbol, marketId, book, victims: victims.map((v) => v.address) });
  }

  // The reprice: the whale bids at crashTo for everything the longs hold and asks a little above;
  // a printer account sells a small lot into the bid so the last trade, the bid and the ask put
  // the median mark at crashTo (within the book's 10 % per-block clamp and the vault's move bound).
  const printer = privateKeyToAccount(generatePrivateKey());
  await fund(p, printer.address);
  let pn = 0;
  const printerDeposit = USDC("100000");
  const raws: Hex[] = [
    await signCall(
      chainId,
      printer,
      pn++,
      usdc.address,
      encodeFunctionData({ abi: mockUsdcAbi, functionName: "mint", args: [printer.address, printerDeposit] }),
    ),
    await signCall(
      chainId,
      printer,
      pn++,
      usdc.address,
      encodeFunctionData({ abi: mockUsdcAbi, functionName: "approve", args: [vaultAddr, printerDeposit] }),
    ),
    await signCall(
      chainId,
      printer,
      pn++,
      vaultAddr,
      encodeFunctionData({ abi: coreVaultAbi, functionName: "deposit", args: [printerDeposit] }),
    ),
  ];
  for (const m of markets) {
    const bid = BigInt(m.victims.length + 2) * size;
    raws.push(
      await whaleTx(
        m.book,
        encodeFunctionData({ abi: bookAbi, functionName: "placeMarginLimitOrder", args: [crashTo, bid, true] }),
      ),
    );
    raws.push(
      await whaleTx(
        m.book,
        encodeFunctionData({
          abi: bookAbi,
          functionName: "placeMarginLimitOrder",
          args: [crashTo + USDC("5"), size, false],
        }),
      ),
    );
  }
  await sendAndMine(p, client, raws);
  const prints: Hex[] = [];
  for (const m of markets)
    prints.push(
      await signCall(
        chainId,
        printer,
        pn++,
        m.book,
        encodeFunctionData({ abi: bookAbi, functionName: "placeMarginMarketOrder", args: [UNITS("0.01"), false] }),
      ),
    );
  await sendAndMine(p, client, prints);

  await setBlockGasLimit(p, o.smallBlockGas ?? 2_000_000n); // the cascade runs in small blocks
  return { client, chainId, admin, whale, usdc: usdc.address, vault: vaultAddr, bookAbi, markets, deployBlock };
}

/** Accounts of `m` still holding a position (the cascade is over when every list is empty). */
export async function openPositions(c: Cascade, m: Market): Promise<Address[]> {
  const out: Address[] = [];
  for (const v of m.victims) {
    const pos = (await c.client.readContract({
      address: c.vault,
      abi: coreVaultAbi,
      functionName: "getPosition",
      args: [v, m.marketId],
    })) as { size: bigint };
    if (pos.size !== 0n) out.push(v);
  }
  return out;
}

/** The deployment record of a cascade system (what `dexetra deploy` would have written). */
export function cascadeRecord(c: Cascade, network: string): DeploymentRecord {
  return DeploymentRecordSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    network,
    chainId: c.chainId,
    updatedAt: new Date().toISOString(),
    contracts: {
      USDC: { artifact: "MockUSDC", address: c.usdc, deployBlock: Number(c.deployBlock) },
      CoreVault: { artifact: "CoreVault", address: c.vault, deployBlock: Number(c.deployBlock) },
    },
    markets: c.markets.map((m) => ({ marketId: m.marketId, symbol: m.symbol, orderBook: m.book, vault: c.vault })),
    operators: { admin: [c.admin], pauser: [], settlement: [], keepers: [] },
  });
}

/** The keeper the cascade bench and demo run: in-memory SQLite, 1.5M-gas budget, no scheduled
 *  pokes (screening finds every account), maker rewards from `fromBlock` on. */
export function cascadeKeeper(c: Cascade, accounts: PrivateKeyAccount[], fromBlock: bigint): Keeper {
  return new Keeper({
    client: c.client,
    chainId: c.chainId,
    vault: c.vault,
    accounts,
    store: new SqliteStore(),
    gasBudget: 1_500_000n,
    pokeIntervalMs: 3_600_000,
    rewards: { planner: fillsPlanner, fromBlock },
    log: () => undefined,
  });
}
