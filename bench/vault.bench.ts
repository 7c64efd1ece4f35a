// Vault gas benchmarks from receipts on an in-process chain (see docs/vault.md for what each measures).
import { network } from "hardhat";
import { keccak256, parseUnits, toHex, encodeFunctionData, getContract, parseAbi, type Address, type Hash } from "viem";
import { deployVault } from "../src/chain/deployVault.ts";
import { coreVaultAbi } from "../src/chain/abi/coreVault.ts";

const USDC = (n: string) => parseUnits(n, 6);
const SIZE = (n: string) => parseUnits(n, 18);

export async function run(): Promise<Record<string, number>> {
  const { viem } = await network.create("hubBig");
  const [admin, ob, alice, bob, hub] = await viem.getWalletClients();
  if (!admin || !ob || !alice || !bob || !hub) throw new Error("bench: need 5 accounts");
  const { usdc, vault, implementation, riskModule, publicClient } = await deployVault(viem);
  const gas = async (hash: Promise<Hash>) =>
    Number((await publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed);

  const eth = keccak256(toHex("ETH-USD"));
  const big = keccak256(toHex("BIG-USD"));
  const fresh = keccak256(toHex("FRESH-USD"));
  const price = USDC("2000");
  await vault.write.registerOrderBook([ob.account.address]);
  for (const m of [eth, big, fresh]) await vault.write.assignMarketToOrderBook([m, ob.account.address]);
  await vault.write.grantRole([await vault.read.EXTERNAL_CREDITOR_ROLE(), hub.account.address]);
  await vault.write.updateMarkPrice([eth, price], { account: ob.account });

  const out: Record<string, number> = {};
  for (const u of [alice, bob]) {
    await usdc.write.mint([u.account.address, USDC("100000")]);
    await usdc.write.approve([vault.address, USDC("100000")], { account: u.account });
  }
  out["vault.deposit"] = await gas(vault.write.deposit([USDC("50000")], { account: alice.account }));
  await vault.write.deposit([USDC("50000")], { account: bob.account });
  out["vault.withdraw"] = await gas(vault.write.withdraw([USDC("1000")], { account: alice.account }));
  out["vault.creditExternal"] = await gas(
    vault.write.creditExternal([admin.account.address, USDC("1000")], { account: hub.account }),
  );

  const upd = (user: Address, m: Hash, delta: bigint) =>
    vault.write.updatePositionWithMargin([user, m, delta, price, 0n], { account: ob.account });
  out["vault.index.add.first"] = await gas(upd(admin.account.address, fresh, SIZE("0.1")));
  await upd(bob.account.address, eth, SIZE("-3"));
  out["vault.position.open"] = await gas(upd(alice.account.address, eth, SIZE("1")));
  out["vault.position.increase"] = await gas(upd(alice.account.address, eth, SIZE("1")));
  out["vault.position.close"] = await gas(upd(alice.account.address, eth, SIZE("-2")));

  // Two-sided fills as an order book sends them (maker order with a reservation: the book passes
  // the share of the maker's reservation the fill frees).
  const fill = (taker: Address, maker: Address, isBuy: boolean, size: bigint, makerRelease: bigint) =>
    vault.write.settleFill(
      [
        {
          marketId: eth,
          maker,
          taker,
          takerIsBuy: isBuy,
          size,
          price,
          makerRelease,
          makerFee: USDC("0.1"),
          takerFee: USDC("0.2"),
        },
      ],
      { account: ob.account },
    );
  await vault.write.reserveMargin([alice.account.address, eth, USDC("1000")], { account: ob.account });
  out["vault.fill.open"] = await gas(fill(admin.account.address, alice.account.address, true, SIZE("1"), USDC("200")));
  out["vault.fill.increase"] = await gas(
    fill(admin.account.address, alice.account.address, true, SIZE("1"), USDC("200")),
  );
  out["vault.fill.reduce"] = await gas(fill(admin.account.address, alice.account.address, false, SIZE("0.5"), 0n));

  // Worst-case cross-margin pass: the taker (admin) holds positions in 16 markets.
  for (let i = 0; i < 14; i++) {
    const m = keccak256(toHex(`EXTRA-${i}`));
    await vault.write.assignMarketToOrderBook([m, ob.account.address]);
    await upd(admin.account.address, m, SIZE("0.01"));
  }
  await vault.write.creditExternal([admin.account.address, USDC("10000")], { account: hub.account });
  await vault.write.reserveMargin([alice.account.address, eth, USDC("1000")], { account: ob.account });
  out["vault.fill.increase.taker16Markets"] = await gas(
    fill(admin.account.address, alice.account.address, true, SIZE("1"), USDC("200")),
  );

  // 10,000 real index entries in BIG-USD through the bulk loader (acting as book + creditor).
  const loader = getContract({
    address: (await viem.deployContract("VaultBulkLoader", [])).address,
    abi: parseAbi([
      "function load(address vault, bytes32 marketId, uint160 firstUser, uint256 n, int256 size, uint256 price)",
    ]),
    client: { public: publicClient, wallet: admin },
  });
  await vault.write.registerOrderBook([loader.address]);
  await vault.write.assignMarketToOrderBook([big, loader.address]);
  await vault.write.grantRole([await vault.read.EXTERNAL_CREDITOR_ROLE(), loader.address]);
  const first = 0x10000n;
  for (let i = 0; i < 10_000; i += 50) {
    await loader.write.load([vault.address, big, first + BigInt(i), 50n, SIZE("0.01"), price], { gas: 16_000_000n });
  }
  await vault.write.assignMarketToOrderBook([big, ob.account.address]);
  if ((await vault.read.getUsersWithPositionsInMarketCount([big])) !== 10_000n) throw new Error("bench: load failed");
  out["vault.index.add.at10000"] = await gas(upd(alice.account.address, big, SIZE("0.01")));
  // alice is now entry 10,001; remove a user from the middle (swap-and-pop moves the last entry)
  const middle = `0x${(first + 5_000n).toString(16).padStart(40, "0")}` as Address;
  out["vault.index.remove.at10000"] = await gas(upd(middle, big, SIZE("-0.01")));

  // One liquidation fill (liquidated side through the risk module, maker side normal).
  await vault.write.creditExternal([hub.account.address, USDC("1000")], { account: hub.account });
  await upd(hub.account.address, eth, SIZE("4.5"));
  for (const p of ["1850", "1700"]) await vault.write.updateMarkPrice([eth, USDC(p)], { account: ob.account });
  out["vault.liquidationFill"] = await gas(
    vault.write.settleLiquidationFill(
      [eth, hub.account.address, bob.account.address, 0n, SIZE("2"), USDC("1700"), 0n],
      {
        account: ob.account,
      },
    ),
  );

  const data = encodeFunctionData({
    abi: coreVaultAbi,
    functionName: "getUsersWithPositionsInMarketPage",
    args: [big, 20n, 20n],
  });
  out["vault.page20.read"] = Number(await publicClient.estimateGas({ to: vault.address, data }));
  const code = await publicClient.getCode({ address: implementation });
  const moduleCode = await publicClient.getCode({ address: riskModule });
  out["size.CoreVault"] = ((code?.length ?? 2) - 2) / 2;
  out["size.VaultRiskModule"] = ((moduleCode?.length ?? 2) - 2) / 2;
  // The screen and admin modules are deployed by the implementation's constructor.
  for (const [key, fn] of [
    ["size.VaultScreenModule", "SCREEN_MODULE"],
    ["size.VaultAdminModule", "ADMIN_MODULE"],
  ] as const) {
    const address = await publicClient.readContract({ address: implementation, abi: coreVaultAbi, functionName: fn });
    out[key] = (((await publicClient.getCode({ address }))?.length ?? 2) - 2) / 2;
  }
  return out;
}
