// Demo chapter: the CoreVault redeploy mid-story, driven through the `dexetra` CLI exactly as an
// operator would run it. A live market (deposits, a user credited through the hub path, trades),
// the maintenance window (positions closed, vault paused), `redeploy-corevault` (plan, then run:
// new vault, roles, marks, diamond cut adding OBVaultAdminFacet, setVault, record, validation),
// `snapshot` + `migrate --strategy merkle-claim` (balances intact to the micro-USDC), then trading
// and a liquidation on the new vault, and the validation report.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { createWalletClient, custom, formatUnits, getAddress, parseUnits } from "viem";
import type { Abi, Address, EIP1193Provider, Hex } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import { accessControlAbi, roleId } from "../chain/abis.ts";
import { fromProvider } from "../chain/connect.ts";
import { runCli } from "../cli/main.ts";
import { readRecord } from "../config/record.ts";

const usd = (x: bigint) => Number(formatUnits(x, 6)).toLocaleString("en-US", { minimumFractionDigits: 2 });

export async function redeployDemo(opts: { quiet?: boolean } = {}): Promise<{ validationPassed: boolean }> {
  const hh = await network.create("hubBig");
  const conn = await fromProvider("hubBig", hh.provider as unknown as EIP1193Provider, true);
  const dir = mkdtempSync(join(tmpdir(), "dexetra-demo-"));
  const env = {
    ...process.env,
    DEXETRA_DEPLOYMENTS_DIR: join(dir, "deployments"),
    DEXETRA_GENERATED_DIR: join(dir, "generated"),
  };
  delete (env as NodeJS.ProcessEnv).DEXETRA_PRIVATE_KEY; // in-process chain: the first dev account signs
  const say = (s: string) => void (opts.quiet ? undefined : console.log(s));
  const cli = async (argv: string[], show: "stdout" | "none" = "stdout") => {
    let out = "";
    let err = "";
    const code = await runCli([...argv, "--network", "hubBig"], {
      stdout: (s) => void (out += s),
      stderr: (s) => void (err += s),
      env,
      cwd: dir,
      conns: { hubBig: conn },
    });
    if (code !== 0 && code !== 3) throw new Error(`dexetra ${argv.join(" ")} exited ${code}\n${err}`);
    if (show === "stdout") say(out.trimEnd());
    return { code, out, err };
  };
  const accounts = ((await conn.provider.request({ method: "eth_accounts" })) as Address[]).map((a) => getAddress(a));
  const [, alice, bob, carol, dave, erin, keeper, creditor, gasless] = accounts as [Address, ...Address[]];
  const names = new Map<Address, string>([
    [alice!, "Alice"],
    [bob!, "Bob"],
    [carol!, "Carol"],
    [dave!, "Dave"],
    [erin!, "Erin"],
    [gasless!, "Gus (credited via hub)"],
  ]);
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
    return conn.client.waitForTransactionReceipt({ hash: h as Hex });
  };

  say("\n== CoreVault redeploy, mid-story (every step through the dexetra CLI) ==");
  say("$ dexetra deploy --market ETH-USD:1000:10 --legacy-books   (books from before OBVaultAdminFacet existed)");
  await cli(
    [
      "deploy",
      "--market",
      "ETH-USD:1000:10",
      "--legacy-books",
      "--hub-signer",
      accounts[17]!,
      "--hub-signer",
      accounts[18]!,
    ],
    "none",
  );
  const rec0 = readRecord(join(env.DEXETRA_DEPLOYMENTS_DIR, "hubBig.json"));
  const usdc = rec0.contracts.USDC!.address;
  const oldVault = rec0.contracts.CoreVault!.address;
  const book = rec0.markets[0]!.orderBook;
  const vaultAbi = readArtifact("CoreVault").abi;
  const usdcAbi = readArtifact("MockUSDC").abi;
  const ob = readArtifact("OBTradingFacet").abi;
  const liqAbi = readArtifact("OBLiquidationFacet").abi;
  const P = (x: string) => parseUnits(x, 6);
  const U = (x: string) => parseUnits(x, 18);

  for (const [u, amt] of [
    [alice!, "200000"],
    [bob!, "200000"],
    [carol!, "200000"],
    [dave!, "50000"],
    [erin!, "1000"],
  ] as const) {
    await send(u, usdc, usdcAbi, "mint", [u, P(amt)]);
    await send(u, usdc, usdcAbi, "approve", [oldVault, P(amt)]);
    await send(u, oldVault, vaultAbi, "deposit", [P(amt)]);
  }
  // A spoke deposit arrives through the hub path (creditExternal): Gus never touches the hub chain.
  await send(accounts[0]!, oldVault, accessControlAbi, "grantRole", [roleId("EXTERNAL_CREDITOR_ROLE"), creditor]);
  await send(creditor!, oldVault, vaultAbi, "creditExternal", [gasless, P("7500.123456")]);
  await send(accounts[0]!, oldVault, accessControlAbi, "revokeRole", [roleId("EXTERNAL_CREDITOR_ROLE"), creditor]);
  await send(bob!, book, ob, "placeMarginLimitOrder", [P("1000"), U("20"), false]);
  await send(alice!, book, ob, "placeMarginMarketOrder", [U("20"), true]);
  say(
    "Trading on the old vault: Alice bought 20 ETH from Bob at 1,000. Gus holds 7,500.123456 USDC credited from a spoke.",
  );

  say("\nMaintenance window: positions are closed before the books move (the runbook refuses to orphan them).");
  await send(bob!, book, ob, "placeMarginLimitOrder", [P("1000"), U("20"), true]);
  await send(alice!, book, ob, "placeMarginMarketOrder", [U("20"), false]);
  const before = new Map<Address, bigint>();
  for (const u of names.keys())
    before.set(
      u,
      (await conn.client.readContract({
        address: oldVault,
        abi: vaultAbi,
        functionName: "balanceOf",
        args: [u],
      })) as bigint,
    );

  say("\n$ dexetra redeploy-corevault --plan");
  const plan = await cli(["redeploy-corevault", "--plan", "--json"], "none");
  const rows = (
    JSON.parse(plan.out).plan as { id: string; status: string; function: string; target: string; reason: string }[]
  )
    .filter((p) => p.status === "pending")
    .map((p) => ({
      step: p.id.length > 40 ? `${p.id.slice(0, 39)}…` : p.id,
      call: p.function,
      target: p.target.length > 20 ? `${p.target.slice(0, 12)}…` : p.target,
      why: p.reason.slice(0, 60),
    }));
  if (!opts.quiet) console.table(rows);
  say("$ dexetra redeploy-corevault");
  const run = await cli(["redeploy-corevault"], "none");
  say(
    run.out
      .split("\n")
      .filter((l) => /transaction\(s\) sent|validation:|stays paused/.test(l))
      .join("\n"),
  );
  const rec1 = readRecord(join(env.DEXETRA_DEPLOYMENTS_DIR, "hubBig.json"));
  const newVault = rec1.contracts.CoreVault!.address;

  say("\n$ dexetra snapshot   (old vault, paused: final balances at one pinned block)");
  const snap = JSON.parse((await cli(["snapshot", "--json"], "none")).out) as {
    file: string;
    block: string;
    checksum: string;
    totals: { balance: string; users: number };
  };
  say(
    `block ${snap.block}, ${snap.totals.users} users, ${usd(BigInt(snap.totals.balance))} USDC, checksum ${snap.checksum.slice(0, 18)}…`,
  );
  say("$ dexetra migrate --strategy merkle-claim --snapshot <file> --claim-all   (a keeper claims for everyone)");
  const mig = await cli(["migrate", "--strategy", "merkle-claim", "--snapshot", snap.file, "--claim-all"], "none");
  say(
    mig.out
      .split("\n")
      .filter((l) => l.startsWith("reconciled"))
      .join("\n"),
  );
  const bal = [];
  for (const [u, n] of names) {
    const after = (await conn.client.readContract({
      address: newVault,
      abi: vaultAbi,
      functionName: "balanceOf",
      args: [u],
    })) as bigint;
    bal.push({
      user: n,
      "old vault": usd(before.get(u)!),
      "new vault": usd(after),
      intact: after === before.get(u) ? "yes" : "NO",
    });
  }
  if (!opts.quiet) console.table(bal);

  say("\nTrading resumes on the new vault; Erin buys 9 ETH with 1,000 USDC (9x), then the price falls.");
  await send(carol!, book, ob, "placeMarginLimitOrder", [P("1000"), U("30"), false]);
  await send(erin!, book, ob, "placeMarginMarketOrder", [U("9"), true]);
  await send(carol!, book, ob, "cancelAllOrders", []);
  for (let i = 0; i < 12; i++)
    await send(bob!, book, ob, "placeMarginLimitOrder", [P((905 - 5 * i).toString()), U("5"), true]);
  await send(dave!, book, ob, "placeMarginLimitOrder", [P("910"), U("2"), false]);
  for (
    let k = 0;
    k < 6 &&
    ((await conn.client.readContract({
      address: newVault,
      abi: vaultAbi,
      functionName: "getMarkPrice",
      args: [rec1.markets[0]!.marketId],
    })) as bigint) > P("905");
    k++
  ) {
    await send(alice!, book, ob, "placeMarginMarketOrder", [U("0.05"), false]);
  }
  say(`\n$ dexetra inspect-orderbook-liq --orderBook ${book}`);
  const insp = JSON.parse((await cli(["inspect-orderbook-liq", "--orderBook", book, "--json"], "none")).out) as {
    liquidatableNow: Address[];
    usersWithPositions: number;
    lastCheckedIndex: string;
    pokeGas: string;
    pokeFits: boolean;
  };
  say(
    `users with positions ${insp.usersWithPositions}, cursor ${insp.lastCheckedIndex}, liquidatable now: ${insp.liquidatableNow.map((a) => names.get(a) ?? a).join(", ") || "none"}; a poke costs ~${insp.pokeGas} gas (${insp.pokeFits ? "fits" : "does NOT fit"} a 2,000,000-gas block)`,
  );
  const liq: { tx: string; gas: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const pos = (await conn.client.readContract({
      address: newVault,
      abi: vaultAbi,
      functionName: "getPosition",
      args: [erin, rec1.markets[0]!.marketId],
    })) as { size: bigint };
    if (pos.size === 0n) break;
    const r = await send(keeper!, book, liqAbi, "pokeLiquidations", []);
    liq.push({ tx: "pokeLiquidations", gas: r.gasUsed.toString() });
  }
  const erinPos = (await conn.client.readContract({
    address: newVault,
    abi: vaultAbi,
    functionName: "getPosition",
    args: [erin, rec1.markets[0]!.marketId],
  })) as { size: bigint };
  say(
    `mark on the new vault ${usd((await conn.client.readContract({ address: newVault, abi: vaultAbi, functionName: "getMarkPrice", args: [rec1.markets[0]!.marketId] })) as bigint)}; Erin's position after ${liq.length} poke(s): ${formatUnits(erinPos.size, 18)} ETH`,
  );
  if (!opts.quiet && liq.length) console.table(liq);

  say("\n$ dexetra validate");
  const v = await cli(["validate", "--json"], "none");
  const report = JSON.parse(v.out) as {
    items: { ok: boolean; area: string; check: string; detail: string }[];
    failed: number;
  };
  if (!opts.quiet)
    console.table(
      report.items.map((i) => ({
        ok: i.ok ? "✔" : "✘",
        area: i.area,
        check: i.check.slice(0, 58),
        detail: i.detail.slice(0, 50),
      })),
    );
  say(
    `${report.items.length - report.failed}/${report.items.length} validation checks passed on ${newVault} (old vault ${oldVault} stays paused for audit).`,
  );
  rmSync(dir, { recursive: true, force: true });
  return { validationPassed: report.failed === 0 };
}
