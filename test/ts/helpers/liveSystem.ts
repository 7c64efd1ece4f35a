// A live system on an in-process chain, deployed through `dexetra deploy`: several markets, many
// users (native depositors and users credited through creditExternal), open positions and resting
// orders. The runbook tests redeploy / upgrade / check against this.
import assert from "node:assert/strict";
import { network } from "hardhat";
import { concat, createWalletClient, custom, getAddress, parseUnits } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { MESSAGE_TYPES, verifierDomain } from "../../../src/relayer/signers.ts";
import type { Abi, Address, EIP1193Provider, Hex } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import { fromProvider } from "../../../src/chain/connect.ts";
import type { ChainConn } from "../../../src/chain/connect.ts";
import { accessControlAbi, roleId } from "../../../src/chain/abis.ts";
import { readRecord } from "../../../src/config/record.ts";
import type { DeploymentRecord } from "../../../src/config/schema.ts";
import type { Sender } from "../../../src/runbook/types.ts";
import { cliRunner } from "./cli.ts";

export const MARKETS = ["ETH-USD:3000:10", "BTC-USD:60000:10", "SOL-USD:150:10"];
const PRICES: Record<string, bigint> = {
  "ETH-USD": parseUnits("3000", 6),
  "BTC-USD": parseUnits("60000", 6),
  "SOL-USD": parseUnits("150", 6),
};

export type LiveSystem = {
  hh: Awaited<ReturnType<typeof network.create>>;
  conn: ChainConn;
  cli: ReturnType<typeof cliRunner>;
  admin: Address;
  accounts: Address[];
  traders: Address[];
  credited: Address[];
  rec: () => DeploymentRecord;
  wallet: (a: Address) => Sender;
  send: (from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[]) => Promise<Hex>;
};

export async function startLiveSystem(
  opts: { legacyBooks?: boolean; hub?: boolean; admin?: number; factory?: boolean } = {},
): Promise<LiveSystem> {
  const hh = await network.create("hubBig");
  const conn = await fromProvider("hubBig", hh.provider as unknown as EIP1193Provider, true);
  const accounts = ((await conn.provider.request({ method: "eth_accounts" })) as Address[]).map((a) => getAddress(a));
  const admin = accounts[0]!; // the deployer (signer); the system's admin may be another account
  const cli = cliRunner({ hubBig: conn }, { DEXETRA_NETWORK: "hubBig" });
  const hubArgs =
    opts.hub === false
      ? []
      : [
          "--hub-signer",
          accounts[17]!,
          "--hub-signer",
          accounts[18]!,
          "--hub-signer",
          accounts[19]!,
          "--hub-threshold",
          "2",
        ];
  const d = await cli.run([
    "deploy",
    ...MARKETS.flatMap((m) => ["--market", m]),
    ...hubArgs,
    ...(opts.admin !== undefined ? ["--admin", accounts[opts.admin]!] : []),
    ...(opts.legacyBooks ? ["--legacy-books"] : []),
    ...(opts.factory ? ["--factory"] : []),
  ]);
  assert.equal(d.code, 0, d.stderr);
  const wallets = new Map<string, Sender>();
  const wallet = (a: Address) => {
    if (!wallets.has(a))
      wallets.set(a, createWalletClient({ account: a, chain: conn.chain, transport: custom(conn.provider) }) as Sender);
    return wallets.get(a)!;
  };
  const send = async (from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
    const h = await wallet(from).writeContract({
      address: to,
      abi,
      functionName,
      args,
      account: from,
      chain: conn.chain,
    } as never);
    const r = await conn.client.waitForTransactionReceipt({ hash: h });
    assert.equal(r.status, "success", `${functionName} by ${from}`);
    return h;
  };
  const rec = () => readRecord(`${cli.env.DEXETRA_DEPLOYMENTS_DIR}/hubBig.json`);
  return {
    hh,
    conn,
    cli,
    admin,
    accounts,
    traders: accounts.slice(1, 9),
    credited: accounts.slice(9, 12),
    rec,
    wallet,
    send,
  };
}

/** Deposits, external credits, resting orders on both sides, and crossed trades in every market. */
export async function populate(s: LiveSystem, o: { flat?: boolean } = {}): Promise<void> {
  const r = s.rec();
  const usdc = r.contracts.USDC!.address;
  const vault = r.contracts.CoreVault!.address;
  const usdcAbi = readArtifact("MockUSDC").abi;
  const vaultAbi = readArtifact("CoreVault").abi;
  const ob = [...readArtifact("OBTradingFacet").abi];
  for (const t of s.traders) {
    await s.send(t, usdc, usdcAbi, "mint", [t, parseUnits("1000000", 6)]);
    await s.send(t, usdc, usdcAbi, "approve", [vault, parseUnits("1000000", 6)]);
    await s.send(t, vault, vaultAbi, "deposit", [parseUnits("500000", 6)]);
  }
  // Users credited through the CollateralHub, exactly as spoke deposits arrive: a 2-of-3 signed
  // deposit message (signers: Hardhat test accounts 17-19, keys from the public test mnemonic)
  // delivered to receiveDeposit, which credits the vault with creditExternal. Without a hub, a
  // temporary creditor stands in (revoked afterwards so the wiring stays as the record expects).
  const hub = r.contracts.CollateralHub?.address;
  const vaultAdmin = r.operators.admin[0]!;
  if (hub) {
    const hubAbi = readArtifact("CollateralHub").abi;
    const spoke = s.accounts[16]!;
    const limits = {
      maxPerMessage: parseUnits("1000000", 6),
      maxPerPeriod: parseUnits("10000000", 6),
      period: 86_400n,
    };
    await s.send(vaultAdmin, hub, hubAbi, "setSpoke", [42161n, spoke, true, limits]);
    const verifier = r.contracts.ThresholdVerifier!.address;
    const signers = [17, 18].map((i) =>
      mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i }),
    );
    let nonce = 1n;
    for (const u of s.credited) {
      const message = {
        kind: 1,
        srcChainId: 42161n,
        srcContract: spoke,
        dstChainId: 999n,
        dstContract: hub,
        nonce: nonce++,
        user: u,
        amount: parseUnits("200000", 6),
      };
      const sigs = await Promise.all(
        signers.map(async (a) => ({
          by: a.address,
          sig: await a.signTypedData({
            domain: verifierDomain(999n, verifier),
            types: MESSAGE_TYPES,
            primaryType: "Message",
            message,
          }),
        })),
      );
      const proof = concat(sigs.sort((x, y) => (BigInt(x.by) < BigInt(y.by) ? -1 : 1)).map((x) => x.sig));
      await s.send(s.accounts[13]!, hub, hubAbi, "receiveDeposit", [message, proof]);
    }
  } else {
    const creditor = s.accounts[12]!;
    await s.send(vaultAdmin, vault, accessControlAbi, "grantRole", [roleId("EXTERNAL_CREDITOR_ROLE"), creditor]);
    for (const u of s.credited) await s.send(creditor, vault, vaultAbi, "creditExternal", [u, parseUnits("200000", 6)]);
    await s.send(vaultAdmin, vault, accessControlAbi, "revokeRole", [roleId("EXTERNAL_CREDITOR_ROLE"), creditor]);
  }

  for (const m of r.markets) {
    const p = PRICES[m.symbol]!;
    const tick = 10_000n;
    const size =
      m.symbol === "BTC-USD"
        ? parseUnits("0.5", 18)
        : m.symbol === "ETH-USD"
          ? parseUnits("2", 18)
          : parseUnits("20", 18);
    const [a, b, c, d] = s.traders;
    if (o.flat) {
      // Trade (so the market has a mark), then trade back: everyone flat, no resting orders.
      await s.send(b!, m.orderBook, ob, "placeMarginLimitOrder", [p, size, false]);
      await s.send(a!, m.orderBook, ob, "placeMarginMarketOrder", [size, true]);
      await s.send(b!, m.orderBook, ob, "placeMarginLimitOrder", [p, size, true]);
      await s.send(a!, m.orderBook, ob, "placeMarginMarketOrder", [size, false]);
      continue;
    }
    // Crossed trades: a long vs b short, credited user long vs c short.
    await s.send(b!, m.orderBook, ob, "placeMarginLimitOrder", [p, size, false]);
    await s.send(a!, m.orderBook, ob, "placeMarginMarketOrder", [size, true]);
    await s.send(c!, m.orderBook, ob, "placeMarginLimitOrder", [p, size, false]);
    await s.send(s.credited[0]!, m.orderBook, ob, "placeMarginMarketOrder", [size, true]);
    // Resting orders on both sides.
    await s.send(d!, m.orderBook, ob, "placeMarginLimitOrder", [p - 50n * tick, size, true]);
    await s.send(s.credited[1]!, m.orderBook, ob, "placeMarginLimitOrder", [p + 50n * tick, size, false]);
  }
}
