// The demo as one continuous story on two in-process chains: the hub (chain 999, 2,000,000-gas
// blocks) and a spoke (chain 42161). Deployed through the `dexetra` CLI in big blocks (factory
// markets, CollateralHub over a 2-of-3 relayer signer set), users deposit on the spoke (credited on
// the hub by the relayer) or natively, trade, the price crashes, the keeper liquidates in small
// blocks while the monitor raises and clears alerts, the CoreVault redeploy runbook moves everyone
// to a new vault (balances by Merkle claims, then the old vault's USDC itself), trading continues,
// one user withdraws back to the spoke, another withdraws on the hub from the new vault, and a
// reconciliation table accounts for every user's funds to the micro-USDC.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { createWalletClient, custom, formatUnits, getAddress, parseUnits } from "viem";
import type { Abi, Address, EIP1193Provider, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { readArtifact } from "../chain/artifacts.ts";
import { fromProvider } from "../chain/connect.ts";
import { deploySpokeVault, deployThresholdVerifier } from "../chain/deployCollateral.ts";
import { DEFAULT_LIMITS, HUB_CHAIN_ID, SPOKE_CHAIN_ID } from "../chain/localXchain.ts";
import { runCli } from "../cli/main.ts";
import { readRecord } from "../config/record.ts";
import { drive } from "../keeper/drive.ts";
import { Keeper } from "../keeper/keeper.ts";
import { SqliteStore } from "../keeper/sqliteStore.ts";
import type { Cascade } from "../keeper/scenario.ts";
import { fundedKeys, setBlockGasLimit } from "../keeper/scenario.ts";
import { Monitor } from "../monitor/monitor.ts";
import { MonitorStore } from "../monitor/store.ts";
import { targetFromRecord } from "../monitor/target.ts";
import { Relayer } from "../relayer/relayer.ts";
import { RelayerStore } from "../relayer/store.ts";
import { LocalSigner } from "../relayer/signers.ts";
import { spokeRoutes, type Endpoint } from "../relayer/types.ts";

const P = (x: string) => parseUnits(x, 6);
const U = (x: string) => parseUnits(x, 18);
const usd = (x: bigint) => formatUnits(x, 6);

export type StoryUser = {
  name: string;
  address: Address;
  how: "spoke" | "hub";
  deposited: bigint;
  /** Collateral on the old vault right after the deposits. */
  before: bigint;
  /** Collateral on the new vault at the end. */
  after: bigint;
  /** USDC the user holds on the spoke at the end (withdrawn back). */
  spokeWallet: bigint;
  /** USDC the user withdrew on the hub from the new vault. */
  hubWithdrawn: bigint;
  liquidated: boolean;
  finalSize: bigint;
};

export type StoryResult = {
  users: StoryUser[];
  oldVault: Address;
  newVault: Address;
  /** Every account's collateral on the new vault (users, keepers, fee takers) + its insurance, escrow, fee pool. */
  owed: bigint;
  vaultUsdc: bigint;
  oldVaultUsdc: bigint;
  /** Insurance, maker escrow and fee pool minus the market deficit (bad debt) frozen on the old vault's ledger. */
  oldPots: bigint;
  /** USDC the new vault holds as backing no account was assigned (the old vault's pools, moved). */
  unallocatedBacking: bigint;
  externalCredits: bigint;
  spokeLocked: bigint;
  totalDeposited: bigint;
  totalWithdrawnToSpoke: bigint;
  totalWithdrawnOnHub: bigint;
  liquidations: number;
  maxKeeperTxGas: bigint;
  maxBlockGas: bigint;
  alertsRaised: number;
  alertsCleared: number;
  alertsActiveAtEnd: number;
  tradesOnNewVault: number;
  validationFailed: number;
  migrationIntact: boolean;
};

export async function runStory(opts: { quiet?: boolean } = {}): Promise<StoryResult> {
  const t0 = Date.now();
  const quiet = !!opts.quiet;
  const say = (s: string) => void (quiet ? undefined : console.log(s));
  const table = (rows: unknown[]) => void (quiet ? undefined : console.table(rows));
  const step = (s: string) => say(`\n--- ${s} ---`);

  const hubNet = await network.create("hub");
  const spokeNet = await network.create("spoke");
  const conn = await fromProvider("hub", hubNet.provider as unknown as EIP1193Provider, true);
  const client = conn.client;
  const dir = mkdtempSync(join(tmpdir(), "dexetra-story-"));
  const env = {
    ...process.env,
    DEXETRA_DEPLOYMENTS_DIR: join(dir, "deployments"),
    DEXETRA_GENERATED_DIR: join(dir, "generated"),
  };
  delete (env as NodeJS.ProcessEnv).DEXETRA_PRIVATE_KEY; // in-process chain: the first dev account signs
  const cli = async (argv: string[]) => {
    let out = "";
    let err = "";
    const code = await runCli([...argv, "--network", "hub"], {
      stdout: (s) => void (out += s),
      stderr: (s) => void (err += s),
      env,
      cwd: dir,
      conns: { hub: conn },
    });
    if (code !== 0 && code !== 3) throw new Error(`dexetra ${argv.join(" ")} exited ${code}\n${err}\n${out}`);
    return { code, out, err };
  };
  const accounts = ((await conn.provider.request({ method: "eth_accounts" })) as Address[]).map((a) => getAddress(a));
  const admin = accounts[0]!;
  const send = async (from: Address, to: Address, abi: Abi, fn: string, args: readonly unknown[]) => {
    const w = createWalletClient({ account: from, chain: conn.chain, transport: custom(conn.provider) });
    const h = await w.writeContract({
      address: to,
      abi,
      functionName: fn,
      args,
      account: from,
      chain: conn.chain,
    } as never);
    const r = await client.waitForTransactionReceipt({ hash: h as Hex });
    if (r.status !== "success") throw new Error(`${fn} reverted`);
    return r;
  };
  const vaultAbi = readArtifact("CoreVault").abi;
  const usdcAbi = readArtifact("MockUSDC").abi;
  const ob = readArtifact("OBTradingFacet").abi;
  const hubAbi = readArtifact("CollateralHub").abi;
  const read = async <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    (await client.readContract({ address, abi, functionName, args } as never)) as T;

  // ---- 1. the system
  step("1. Deploy: `dexetra deploy --factory` on the hub in 30M-gas big blocks; SpokeVault on chain 42161");
  const signerAccounts = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
  await setBlockGasLimit(hubNet.provider as never, 30_000_000n);
  try {
    await cli([
      "deploy",
      "--factory",
      "--market",
      "ETH-USD:1000:10",
      ...signerAccounts.flatMap((a) => ["--hub-signer", a.address]),
      "--hub-threshold",
      "2",
    ]);
  } finally {
    await setBlockGasLimit(hubNet.provider as never, 2_000_000n);
  }
  const recPath = join(env.DEXETRA_DEPLOYMENTS_DIR, "hub.json");
  const rec0 = readRecord(recPath);
  const hubUsdc = rec0.contracts.USDC!.address;
  const oldVault = rec0.contracts.CoreVault!.address;
  const collateralHub = rec0.contracts.CollateralHub!.address;
  const market = rec0.markets[0]!;
  const book = market.orderBook;
  const marketId = market.marketId as Hex;

  const sv = spokeNet.viem;
  const [spokeAdmin, spokeRelayer] = await sv.getWalletClients();
  const spokePublic = await sv.getPublicClient();
  const spokeUsdc = await sv.deployContract("MockUSDC", [6]);
  const spokeVerifier = await deployThresholdVerifier(
    sv,
    spokeAdmin!.account.address,
    signerAccounts.map((a) => a.address),
    2n,
  );
  const spoke = await deploySpokeVault(sv, {
    admin: spokeAdmin!.account.address,
    usdc: spokeUsdc.address,
    hubChainId: HUB_CHAIN_ID,
    hub: collateralHub,
    verifier: spokeVerifier.address,
    depositLimits: DEFAULT_LIMITS,
    releaseLimits: DEFAULT_LIMITS,
  });
  const spokeStart = await spokePublic.getBlockNumber({ cacheTime: 0 });
  await send(admin, collateralHub, hubAbi, "setSpoke", [SPOKE_CHAIN_ID, spoke.address, true, DEFAULT_LIMITS]);
  const hubRelayer = (await hubNet.viem.getWalletClients())[1]!;
  const hubEndpoint: Endpoint = {
    name: "hub",
    chainId: HUB_CHAIN_ID,
    contract: collateralHub,
    verifier: rec0.contracts.ThresholdVerifier!.address,
    publicClient: client as never,
    walletClient: hubRelayer,
  };
  const spokeEndpoint: Endpoint = {
    name: "spoke",
    chainId: SPOKE_CHAIN_ID,
    contract: spoke.address,
    verifier: spokeVerifier.address,
    publicClient: spokePublic,
    walletClient: spokeRelayer!,
  };
  const routes = spokeRoutes(hubEndpoint, spokeEndpoint, {
    hub: await client.getBlockNumber({ cacheTime: 0 }),
    spoke: spokeStart,
  });
  const relayer = new Relayer({
    routes,
    signers: signerAccounts.map((a) => new LocalSigner(a)),
    store: new RelayerStore(":memory:"),
  });
  table([
    { contract: "CoreVault (hub)", address: oldVault },
    { contract: "CollateralHub (hub)", address: collateralHub },
    { contract: `${market.symbol} order book (factory)`, address: book },
    { contract: "SpokeVault (spoke 42161)", address: spoke.address },
  ]);

  // ---- 2. deposits both ways
  step("2. Deposits: makers and traders natively on the hub, Ana and Ben on the spoke (relayed, 2-of-3 signatures)");
  const plan: [string, number, "spoke" | "hub", string][] = [
    ["Alice (maker)", 2, "hub", "200000"],
    ["Bob (maker)", 3, "hub", "200000"],
    ["Carol (maker)", 4, "hub", "200000"],
    ["Ana", 5, "spoke", "1500"],
    ["Ben", 6, "spoke", "800"],
    ["Erin", 7, "hub", "1000"],
    ["Frank", 8, "hub", "1000"],
    ["Grace", 9, "hub", "1000"],
    ["Dave", 10, "hub", "50000"],
  ];
  const users: StoryUser[] = plan.map(([name, i, how, amt]) => ({
    name,
    address: accounts[i]!,
    how,
    deposited: P(amt),
    before: 0n,
    after: 0n,
    spokeWallet: 0n,
    hubWithdrawn: 0n,
    liquidated: false,
    finalSize: 0n,
  }));
  const who = (n: string) => users.find((u) => u.name.startsWith(n))!.address;
  for (const u of users) {
    if (u.how === "hub") {
      await send(u.address, hubUsdc, usdcAbi, "mint", [u.address, u.deposited]);
      await send(u.address, hubUsdc, usdcAbi, "approve", [oldVault, u.deposited]);
      await send(u.address, oldVault, vaultAbi, "deposit", [u.deposited]);
    } else {
      const w = (await sv.getWalletClients()).find((c) => getAddress(c.account.address) === u.address)!;
      const usdcW = await sv.getContractAt("MockUSDC", spokeUsdc.address, { client: { wallet: w } });
      const spokeW = await sv.getContractAt("SpokeVault", spoke.address, { client: { wallet: w } });
      await usdcW.write.mint!([u.address, u.deposited]);
      await usdcW.write.approve!([spoke.address, u.deposited]);
      await spokePublic.waitForTransactionReceipt({ hash: await spokeW.write.deposit!([u.deposited]) });
    }
  }
  await relayer.tick();
  const credit = new Map<Address, bigint>();
  for (const u of users) {
    u.before = await read<bigint>(oldVault, vaultAbi, "balanceOf", [u.address]);
    credit.set(u.address, await read<bigint>(oldVault, vaultAbi, "externalCreditOf", [u.address]));
  }
  table(
    users.map((u) => ({
      user: u.name,
      "deposited on": u.how === "spoke" ? "spoke 42161 (relayed)" : "hub 999",
      amount: usd(u.deposited),
      "hub collateral": usd(u.before),
      "of which external credit": usd(credit.get(u.address)!),
    })),
  );

  // ---- 3. trading
  step(`3. Trading on ${market.symbol} (market created by the factory): makers quote, four traders go long`);
  const limit = (n: string, px: string, size: string, buy: boolean) =>
    send(who(n), book, ob, "placeMarginLimitOrder", [P(px), U(size), buy]);
  const take = (n: string, size: string, buy: boolean) =>
    send(who(n), book, ob, "placeMarginMarketOrder", [U(size), buy]);
  const trades: { who: string; trade: string; gas: number }[] = [];
  await limit("Alice", "999", "5", true);
  await limit("Carol", "1000", "60", false);
  const longs: [string, string][] = [
    ["Erin", "9"],
    ["Frank", "9"],
    ["Grace", "9"],
    ["Ana", "13"],
    ["Ben", "2"],
  ];
  for (const [n, s] of longs) {
    const r = await take(n, s, true);
    trades.push({ who: n, trade: `market buy ${s} ETH`, gas: Number(r.gasUsed) });
  }
  table(trades);
  const positions = async (vault: Address) => {
    const mark = await read<bigint>(vault, vaultAbi, "getMarkPrice", [marketId]);
    const rows = [];
    for (const u of users) {
      const p = await read<{ size: bigint; entryPrice: bigint }>(vault, vaultAbi, "getPosition", [u.address, marketId]);
      if (p.size === 0n) continue;
      rows.push({
        user: u.name,
        "size (ETH)": formatUnits(p.size, 18),
        entry: usd(p.entryPrice),
        liquidatable: await read<boolean>(vault, vaultAbi, "isLiquidatable", [u.address, marketId, mark]),
      });
    }
    say(`mark ${usd(mark)}`);
    table(rows);
  };
  await positions(oldVault);

  // ---- 4. crash
  step("4. The crash: Alice pulls her bid, bids step down from 895, prints at 895 walk the mark down");
  await send(who("Alice"), book, ob, "cancelAllOrders", []);
  await send(who("Carol"), book, ob, "cancelAllOrders", []);
  for (let i = 0; i < 12; i++) await limit("Bob", (895 - 5 * i).toString(), "5", true);
  await limit("Dave", "900", "2", false);
  for (let k = 0; k < 8 && (await read<bigint>(oldVault, vaultAbi, "getMarkPrice", [marketId])) > P("895"); k++)
    await take("Alice", "0.05", false);
  await positions(oldVault);
  const victims: StoryUser[] = [];
  const markNow = await read<bigint>(oldVault, vaultAbi, "getMarkPrice", [marketId]);
  for (const u of users)
    if (await read<boolean>(oldVault, vaultAbi, "isLiquidatable", [u.address, marketId, markNow])) victims.push(u);
  for (const v of victims) v.liquidated = true;

  // ---- 5. monitor raises alerts
  step("5. The monitor watches: accounts liquidatable for more than 2 blocks raise alerts");
  const notices: { notice: string; rule: string; message: string }[] = [];
  const monitor = new Monitor({
    client,
    store: new MonitorStore(),
    target: targetFromRecord(readRecord(recPath), 1_500_000n),
    sink: {
      stdout: (line) => {
        const n = JSON.parse(line) as { notice: string; rule: string; message: string };
        let msg = n.message;
        for (const u of users) msg = msg.replace(new RegExp(u.address, "ig"), u.name);
        notices.push({ notice: n.notice, rule: n.rule, message: msg.slice(0, 80) });
      },
    },
    maxLiquidatableBlocks: 2,
    log: (r) => void (process.env.STORY_DEBUG ? console.error(r) : undefined),
  });
  for (let i = 0; i < 3; i++) {
    await monitor.tick();
    await hubNet.provider.request({ method: "hardhat_mine", params: ["0x2"] });
  }
  await monitor.tick();
  const raised = notices.filter((n) => n.notice !== "cleared").length;
  say(`monitor: ${raised} alert(s) raised`);
  table(notices);

  // ---- 6. keeper
  step("6. The keeper liquidates in 2,000,000-gas blocks (one tick per block, gas per transaction)");
  const keys = await fundedKeys(hubNet.provider, 2);
  const keeper = new Keeper({
    client: client as never,
    chainId: Number(HUB_CHAIN_ID),
    vault: oldVault,
    accounts: keys,
    store: new SqliteStore(),
    gasBudget: 1_500_000n,
    pokeIntervalMs: 3_600_000,
    rewards: false,
    log: () => undefined,
  });
  const pseudo = { client, vault: oldVault, markets: [{ marketId, book }] } as unknown as Cascade;
  const perBlock: {
    block: number;
    "gas used": number;
    "% of 2M": string;
    "victims still open": number;
    "deficit (USDC)": string;
  }[] = [];
  const deficit = () => read<bigint>(oldVault, vaultAbi, "marketDeficit", [marketId]);
  const noticesBefore = notices.length;
  const openVictims = async () => {
    let n = 0;
    for (const v of victims)
      if ((await read<{ size: bigint }>(oldVault, vaultAbi, "getPosition", [v.address, marketId])).size !== 0n) n++;
    return n;
  };
  const dr = await drive(hubNet.provider, pseudo, [keeper], {
    maxBlocks: 30,
    onBlock: async () => {
      const b = await client.getBlock();
      perBlock.push({
        block: Number(b.number),
        "gas used": Number(b.gasUsed),
        "% of 2M": `${((Number(b.gasUsed) / 2e6) * 100).toFixed(0)} %`,
        "victims still open": await openVictims(),
        "deficit (USDC)": usd(await deficit()),
      });
      await monitor.tick(); // the monitor follows every block
    },
    // Done when every victim is flat and the bad debt they left is recovered from open profit.
    done: async () => (await openVictims()) === 0 && (await deficit()) === 0n,
  });
  table(perBlock);
  const txGas = Object.entries(dr.gasByKind).flatMap(([kind, gs]) =>
    gs.map((g) => ({ transaction: kind, gas: Number(g) })),
  );
  table(txGas);
  say(
    `${victims.map((v) => v.name).join(", ")} liquidated flat; ${dr.reverted} reverted; largest tx ${dr.maxTxGas} gas, largest block ${dr.maxBlockGas} gas`,
  );
  await monitor.tick();
  const during = notices.slice(noticesBefore);
  const cleared = notices.filter((n) => n.notice === "cleared").length;
  say(
    `monitor, block by block: the bad debt the closes left raised vault-underfunded until the keeper's ` +
      `socializeDeficit recovered it; ${cleared} alert(s) cleared, ${monitor.alerts.active().length} still active`,
  );
  table(during);
  if (monitor.alerts.active().length) {
    say("still active:");
    table(
      monitor.alerts.active().map((a) => ({
        rule: a.rule,
        message: a.message.replace(/0x[0-9a-fA-F]{40,64}/g, (m) => `${m.slice(0, 8)}…`).slice(0, 100),
      })),
    );
  }

  // ---- 7. redeploy runbook
  step("7. Maintenance window: orders cancelled, positions closed at the mark, then `dexetra redeploy-corevault`");
  for (const u of users) await send(u.address, book, ob, "cancelAllOrders", []);
  const mark7 = await read<bigint>(oldVault, vaultAbi, "getMarkPrice", [marketId]);
  const sized: { u: StoryUser; size: bigint }[] = [];
  for (const u of users)
    sized.push({
      u,
      size: (await read<{ size: bigint }>(oldVault, vaultAbi, "getPosition", [u.address, marketId])).size,
    });
  for (const { u, size } of sized)
    if (size > 0n) await send(u.address, book, ob, "placeMarginLimitOrder", [mark7, size, false]);
  for (const { u, size } of sized)
    if (size < 0n) await send(u.address, book, ob, "placeMarginMarketOrder", [-size, true]);
  for (const u of users) await send(u.address, book, ob, "cancelAllOrders", []);
  const closed = [];
  for (const u of users) {
    const p = await read<{ size: bigint }>(oldVault, vaultAbi, "getPosition", [u.address, marketId]);
    if (p.size !== 0n) throw new Error(`${u.name} still holds ${formatUnits(p.size, 18)} ETH after the close-out`);
    closed.push({
      user: u.name,
      "collateral on old vault": usd(await read<bigint>(oldVault, vaultAbi, "balanceOf", [u.address])),
    });
  }
  table(closed);
  const known = async (vault: Address) => {
    const n = await read<bigint>(vault, vaultAbi, "getKnownUsersCount");
    return read<Address[]>(vault, vaultAbi, "getKnownUsersPage", [0n, n]);
  };
  const oldBalances = new Map<Address, bigint>();
  for (const a of await known(oldVault))
    oldBalances.set(getAddress(a), await read<bigint>(oldVault, vaultAbi, "balanceOf", [a]));

  say("$ dexetra redeploy-corevault --plan");
  const planOut = JSON.parse((await cli(["redeploy-corevault", "--plan", "--json"])).out) as {
    plan: { id: string; status: string; function: string }[];
  };
  table(
    planOut.plan
      .filter((p) => p.status === "pending")
      .map((p) => ({ step: p.id.length > 50 ? `${p.id.slice(0, 49)}…` : p.id, call: p.function })),
  );
  await setBlockGasLimit(hubNet.provider as never, 30_000_000n);
  let snap: { file: string; block: string; totals: { balance: string; users: number } };
  try {
    say("$ dexetra redeploy-corevault");
    const run = await cli(["redeploy-corevault"]);
    say(
      run.out
        .split("\n")
        .filter((l) => /transaction\(s\) sent|validation:|stays paused/.test(l))
        .join("\n"),
    );
    say("$ dexetra snapshot && dexetra migrate --strategy merkle-claim --claim-all");
    snap = JSON.parse((await cli(["snapshot", "--json"])).out) as typeof snap;
    const mig = await cli(["migrate", "--strategy", "merkle-claim", "--snapshot", snap.file, "--claim-all"]);
    say(
      mig.out
        .split("\n")
        .filter((l) => l.startsWith("reconciled") || l.startsWith("backing"))
        .join("\n"),
    );
  } finally {
    await setBlockGasLimit(hubNet.provider as never, 2_000_000n);
  }
  const rec1 = readRecord(recPath);
  const newVault = rec1.contracts.CoreVault!.address;
  let migrationIntact = true;
  for (const [a, b] of oldBalances)
    if ((await read<bigint>(newVault, vaultAbi, "balanceOf", [a])) !== b) migrationIntact = false;
  say(
    `snapshot block ${snap.block}: ${snap.totals.users} accounts, ${usd(BigInt(snap.totals.balance))} USDC; new vault ${newVault}; every balance intact: ${migrationIntact ? "yes" : "NO"}`,
  );

  // ---- 8. trading on the new vault
  step("8. Trading continues on the new vault (same book, same market)");
  const mark8 = await read<bigint>(newVault, vaultAbi, "getMarkPrice", [marketId]);
  const px = usd(mark8 + P("5"));
  const newTrades = [];
  newTrades.push({
    who: "Carol",
    trade: `limit sell 3 @ ${px}`,
    gas: Number((await limit("Carol", px, "3", false)).gasUsed),
  });
  newTrades.push({ who: "Ben", trade: "market buy 1", gas: Number((await take("Ben", "1", true)).gasUsed) });
  newTrades.push({ who: "Dave", trade: "market buy 2", gas: Number((await take("Dave", "2", true)).gasUsed) });
  table(newTrades);
  await positions(newVault);
  const tradesOnNewVault = (
    await client.getContractEvents({ address: newVault, abi: vaultAbi, fromBlock: BigInt(snap.block) } as never)
  ).filter((e) => /Position|Trade/.test((e as { eventName?: string }).eventName ?? "")).length;

  // ---- 9. withdrawal to the spoke
  step("9. Ben withdraws 300 USDC back to the spoke (hub debits, relayer releases on 42161)");
  const ben = users.find((u) => u.name === "Ben")!;
  await send(ben.address, collateralHub, hubAbi, "requestWithdrawal", [SPOKE_CHAIN_ID, P("300")]);
  await relayer.tick();
  table(
    relayer.store.all().map((m) => ({
      route: m.route,
      nonce: Number(m.message.nonce),
      user: users.find((u) => u.address === getAddress(m.message.user))?.name ?? m.message.user,
      amount: usd(m.message.amount),
      status: m.status,
    })),
  );

  // ---- 9b. withdrawal on the hub from the new vault (the old vault's USDC moved with the balances)
  step("9b. Dave withdraws 1,000 USDC on the hub from the new vault: the migrated USDC is there");
  const dave = users.find((u) => u.name === "Dave")!;
  const daveWallet0 = await read<bigint>(hubUsdc, usdcAbi, "balanceOf", [dave.address]);
  await send(dave.address, newVault, vaultAbi, "withdraw", [P("1000")]);
  dave.hubWithdrawn = (await read<bigint>(hubUsdc, usdcAbi, "balanceOf", [dave.address])) - daveWallet0;
  say(`Dave's hub wallet received ${usd(dave.hubWithdrawn)} USDC from ${newVault}`);

  // ---- 10. reconciliation
  step("10. Reconciliation: every user before and after; the new vault's holdings against what it owes");
  for (const u of users) {
    u.after = await read<bigint>(newVault, vaultAbi, "balanceOf", [u.address]);
    u.spokeWallet = (await spokeUsdc.read.balanceOf!([u.address])) as bigint;
    u.finalSize = (await read<{ size: bigint }>(newVault, vaultAbi, "getPosition", [u.address, marketId])).size;
  }
  table(
    users.map((u) => ({
      user: u.name,
      deposited: usd(u.deposited),
      "before (hub)": usd(u.before),
      "after (new vault)": usd(u.after),
      "back on spoke": usd(u.spokeWallet),
      "withdrawn on hub": usd(u.hubWithdrawn),
      "P&L": usd(u.after + u.spokeWallet + u.hubWithdrawn - u.before),
      liquidated: u.liquidated ? "yes" : "",
      "position (ETH)": formatUnits(u.finalSize, 18),
    })),
  );
  const pots = async (vault: Address) =>
    (await read<bigint>(vault, vaultAbi, "insuranceFund", [marketId])) +
    (await read<bigint>(vault, vaultAbi, "makerRewardEscrow", [marketId])) +
    (await read<bigint>(vault, vaultAbi, "feePool", [marketId])) -
    (await read<bigint>(vault, vaultAbi, "marketDeficit", [marketId]));
  const newPots = await pots(newVault);
  const oldPots = await pots(oldVault);
  let owed = newPots;
  const others = [];
  for (const a of await known(newVault)) {
    const b = await read<bigint>(newVault, vaultAbi, "balanceOf", [a]);
    owed += b;
    if (!users.some((u) => u.address === getAddress(a)) && b !== 0n) others.push({ account: a, balance: usd(b) });
  }
  if (others.length) {
    say("other accounts holding collateral (keeper rewards, fees):");
    table(others);
  }
  const vaultUsdc = await read<bigint>(hubUsdc, usdcAbi, "balanceOf", [newVault]);
  const oldVaultUsdc = await read<bigint>(hubUsdc, usdcAbi, "balanceOf", [oldVault]);
  const externalCredits = await read<bigint>(newVault, vaultAbi, "totalExternalCredits");
  const unallocatedBacking = await read<bigint>(newVault, vaultAbi, "unallocatedBacking");
  const totalWithdrawnOnHub = users.reduce((s, u) => s + u.hubWithdrawn, 0n);
  const spokeLocked = (await spokeUsdc.read.balanceOf!([spoke.address])) as bigint;
  const totalDeposited = users.reduce((s, u) => s + u.deposited, 0n);
  const totalWithdrawnToSpoke = users.reduce((s, u) => s + u.spokeWallet, 0n);
  table([
    { line: "deposited by users (hub + spoke)", USDC: usd(totalDeposited) },
    { line: "withdrawn back to the spoke", USDC: usd(totalWithdrawnToSpoke) },
    { line: "withdrawn on the hub from the new vault", USDC: usd(totalWithdrawnOnHub) },
    { line: "owed: collateral of every account on the new vault", USDC: usd(owed - newPots) },
    { line: "owed: insurance + maker escrow + fees - deficit (new vault)", USDC: usd(newPots) },
    { line: "insurance + maker escrow + fees - deficit on the old vault's frozen ledger", USDC: usd(oldPots) },
    {
      line: "deposits - withdrawals - owed - old pots (dust >= 0)",
      USDC: usd(totalDeposited - totalWithdrawnToSpoke - totalWithdrawnOnHub - owed - oldPots),
    },
    { line: "old vault USDC (retired; all moved to the new vault)", USDC: usd(oldVaultUsdc) },
    { line: "new vault USDC on the hub", USDC: usd(vaultUsdc) },
    { line: "  of which unallocated backing (the old pools, moved)", USDC: usd(unallocatedBacking) },
    { line: "external credits (what the spokes back)", USDC: usd(externalCredits) },
    { line: "SpokeVault USDC locked on 42161", USDC: usd(spokeLocked) },
    { line: "SpokeVault locked - external credits (>= 0)", USDC: usd(spokeLocked - externalCredits) },
    { line: "new vault USDC + external credits - owed (>= 0)", USDC: usd(vaultUsdc + externalCredits - owed) },
    {
      line: "all USDC (old + new vault + spoke) - owed - old pots",
      USDC: usd(oldVaultUsdc + vaultUsdc + spokeLocked - owed - oldPots),
    },
  ]);
  const v = JSON.parse((await cli(["validate", "--json"])).out) as { items: unknown[]; failed: number };
  say(`validation: ${v.items.length - v.failed}/${v.items.length} checks pass on the new vault`);
  say(`story finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  relayer.store.close();
  await hubNet.close();
  await spokeNet.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    users,
    oldVault,
    newVault,
    owed,
    vaultUsdc,
    oldVaultUsdc,
    oldPots,
    unallocatedBacking,
    externalCredits,
    spokeLocked,
    totalDeposited,
    totalWithdrawnToSpoke,
    totalWithdrawnOnHub,
    liquidations: dr.liquidations,
    maxKeeperTxGas: dr.maxTxGas,
    maxBlockGas: dr.maxBlockGas,
    alertsRaised: raised,
    alertsCleared: cleared,
    alertsActiveAtEnd: monitor.alerts.active().length,
    tradesOnNewVault,
    validationFailed: v.failed,
    migrationIntact,
  };
}
