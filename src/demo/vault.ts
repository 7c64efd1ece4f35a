// Demo chapter "vault": deploy MockUSDC + CoreVault (proxy) on an in-process chain, fund users,
// credit one user from "another chain", open positions through a test order-book account, and
// print balances, margin summaries and the per-market index page by page.
import { network } from "hardhat";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { formatUnits, keccak256, parseUnits, toHex, type Address, type Hash } from "viem";
import { deployVault, type VaultDeployment } from "../chain/deployVault.ts";

const usd = (v: bigint) => formatUnits(v, 6);
const sz = (v: bigint) => formatUnits(v, 18);
const U = (n: string) => parseUnits(n, 6);
const S = (n: string) => parseUnits(n, 18);

export interface VaultDemoResult {
  deployment: VaultDeployment;
  markets: Record<string, Hash>;
  users: Record<string, Address>;
  orderBook: Address;
}

export async function vaultDemo(opts: { viem?: HardhatViemHelpers; pageSize?: bigint } = {}): Promise<VaultDemoResult> {
  const viem = opts.viem ?? (await network.create("hubBig")).viem;
  const pageSize = opts.pageSize ?? 2n;
  const wallets = await viem.getWalletClients();
  const [admin, ob, hub, ...rest] = wallets;
  if (!admin || !ob || !hub || rest.length < 5) throw new Error("vault demo: needs 8 accounts");
  const names = ["alice", "bob", "carol", "dave", "erin"] as const;
  const users = Object.fromEntries(names.map((n, i) => [n, rest[i]!.account.address])) as Record<
    (typeof names)[number],
    Address
  >;

  console.log("\n=== Vault: CoreVault behind an ERC-1967 proxy ===");
  const deployment = await deployVault(viem);
  const { usdc, vault, publicClient } = deployment;
  const wait = async (h: Promise<Hash>) => publicClient.waitForTransactionReceipt({ hash: await h });
  console.log(
    `MockUSDC ${usdc.address}\nCoreVault proxy ${vault.address}\nimplementation ${deployment.implementation}`,
  );

  const markets = { "ETH-USD": keccak256(toHex("ETH-USD")), "BTC-USD": keccak256(toHex("BTC-USD")) };
  await wait(vault.write.registerOrderBook([ob.account.address]));
  for (const id of Object.values(markets)) await wait(vault.write.assignMarketToOrderBook([id, ob.account.address]));
  await wait(vault.write.setMarketRiskParams([markets["BTC-USD"], 500n])); // 20x
  await wait(vault.write.grantRole([await vault.read.EXTERNAL_CREDITOR_ROLE(), hub.account.address]));
  await wait(vault.write.updateMarkPrice([markets["ETH-USD"], U("2000")], { account: ob.account }));
  await wait(vault.write.updateMarkPrice([markets["BTC-USD"], U("50000")], { account: ob.account }));
  console.log("order book (test EOA with ORDERBOOK_ROLE) wired to ETH-USD (10x) and BTC-USD (20x)");

  // Token deposits for four users, an external (cross-chain) credit for erin.
  const deposits: [keyof typeof users, string][] = [
    ["alice", "10000"],
    ["bob", "25000"],
    ["carol", "8000"],
    ["dave", "15000"],
  ];
  for (const [name, amount] of deposits) {
    const w = rest[names.indexOf(name)]!;
    await wait(usdc.write.mint([w.account.address, U(amount)]));
    await wait(usdc.write.approve([vault.address, U(amount)], { account: w.account }));
    await wait(vault.write.deposit([U(amount)], { account: w.account }));
  }
  await wait(vault.write.creditExternal([users.erin, U("5000")], { account: hub.account }));
  console.log("deposited for alice, bob, carol, dave; creditExternal(erin, 5,000) from the hub account");

  // Resting maker orders reserve margin; fills apply both sides in one call.
  // `makerRelease`: the share of the maker's reservation the fill frees (the book computes it).
  const fill = (
    m: Hash,
    maker: Address,
    taker: Address,
    buy: boolean,
    size: bigint,
    price: bigint,
    makerRelease: bigint,
  ) =>
    wait(
      vault.write.settleFill(
        [
          {
            marketId: m,
            maker,
            taker,
            takerIsBuy: buy,
            size,
            price,
            makerRelease,
            makerFee: U("0.5"),
            takerFee: U("1"),
          },
        ],
        { account: ob.account },
      ),
    );
  const eth = markets["ETH-USD"];
  const btc = markets["BTC-USD"];
  await wait(vault.write.reserveMargin([users.bob, eth, U("800")], { account: ob.account }));
  await fill(eth, users.bob, users.alice, true, S("4"), U("2000"), U("800"));
  await fill(eth, users.dave, users.erin, true, S("1.5"), U("2010"), 0n);
  await fill(eth, users.bob, users.carol, false, S("0.75"), U("1995"), 0n);
  await fill(btc, users.dave, users.carol, true, S("0.2"), U("50000"), 0n);
  await fill(btc, users.bob, users.alice, false, S("0.05"), U("50100"), 0n);
  await wait(vault.write.updateMarkPrice([eth, U("2080")], { account: ob.account }));
  console.log("fills: ETH-USD alice+4 / erin+1.5 / carol-0.75, BTC-USD carol+0.2 / alice-0.05; ETH mark -> 2,080");

  const liqPrice = async (addr: Address) => {
    const p = await vault.read.getLiquidationPrice([addr, eth]);
    return p === 0n ? "none" : usd(p);
  };
  const balances = [];
  const margins = [];
  for (const [name, addr] of Object.entries(users)) {
    balances.push({
      user: name,
      balance: usd(await vault.read.balanceOf([addr])),
      "external credit": usd(await vault.read.externalCreditOf([addr])),
      withdrawable: usd(await vault.read.getWithdrawable([addr])),
    });
    const positions = await vault.read.getUserPositions([addr]);
    margins.push({
      user: name,
      positions: positions
        .map((p) => `${p.marketId === eth ? "ETH" : "BTC"} ${sz(p.size)}@${usd(p.entryPrice)}`)
        .join(", "),
      equity: usd(await vault.read.getEquity([addr])),
      locked: usd(await vault.read.getLockedMargin([addr])),
      maintenance: usd(await vault.read.getMaintenanceRequirement([addr])),
      free: usd(await vault.read.getAvailableCollateral([addr])),
      "ETH liq. price": await liqPrice(addr),
    });
  }
  console.log("\nBalances (USDC)");
  console.table(balances);
  console.log("Margin summaries (USDC; cross margin over each user's markets)");
  console.table(margins);
  console.log(
    `fee pool ETH-USD ${usd(await vault.read.feePool([eth]))}, vault holds ${usd(await usdc.read.balanceOf([vault.address]))} USDC + ${usd(await vault.read.totalExternalCredits())} externally credited`,
  );

  const byAddr = Object.fromEntries(Object.entries(users).map(([n, a]) => [a.toLowerCase(), n]));
  for (const [name, id] of Object.entries(markets)) {
    const count = await vault.read.getUsersWithPositionsInMarketCount([id]);
    console.log(`\n${name}: ${count} users with positions, pages of ${pageSize}`);
    const rows = [];
    for (let offset = 0n; offset < count; offset += pageSize) {
      const page = await vault.read.getUsersWithPositionsInMarketPage([id, offset, pageSize]);
      rows.push({ offset: Number(offset), users: page.map((a) => byAddr[a.toLowerCase()] ?? a).join(", ") });
    }
    console.table(rows);
  }
  console.log(`known users (deposits, credits, positions): ${await vault.read.getKnownUsersCount()}`);
  return { deployment, markets, users, orderBook: ob.account.address };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await vaultDemo();
  process.exit(0);
}
