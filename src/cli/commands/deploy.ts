// `dexetra deploy`: the whole hub system, idempotent and resumable (a journaled runbook).
import { getAddress, parseUnits } from "viem";
import type { Address, Hex } from "viem";
import { orderBookAbi } from "../../chain/abis.ts";
import { readArtifact } from "../../chain/artifacts.ts";
import { DexetraError, ErrorCodes } from "../../config/errors.ts";
import { writeGeneratedConfig } from "../../config/generate.ts";
import { FACETS, deployRunbook, marketIdOf, selectorsOf } from "../../runbook/deploy.ts";
import type { MarketSpec } from "../../runbook/deploy.ts";
import { readMarkets, readRoles, setContract } from "../../runbook/recordSync.ts";
import type { CommandSpec } from "../command.ts";
import { parseAddress } from "../context.ts";
import { execRunbook } from "../internal/exec.ts";

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function parseMarket(s: string): MarketSpec {
  const m = /^([A-Za-z0-9._-]{1,32}):(\d+(?:\.\d+)?):(\d+)$/.exec(s);
  if (!m)
    throw new DexetraError(
      ErrorCodes.BAD_FLAG,
      `--market "${s}" must be SYMBOL:START_PRICE:MAX_LEVERAGE, e.g. ETH-USD:3000:10`,
    );
  const lev = BigInt(m[3]!);
  if (lev < 1n || lev > 100n) throw new DexetraError(ErrorCodes.BAD_FLAG, `--market "${s}": leverage must be 1..100`);
  return { symbol: m[1]!, startPrice: parseUnits(m[2]!, 6), maxLeverage: lev };
}

export const deploy: CommandSpec = {
  name: "deploy",
  description: "deploy (or verify and complete) the whole system on --network; resumable",
  sends: true,
  options: (cmd) =>
    cmd
      .option("--usdc <address>", "USDC (6 decimals); omitted on in-process chains = deploy MockUSDC")
      .option("--market <spec>", "SYMBOL:START_PRICE:MAX_LEVERAGE (repeatable)", collect)
      .option("--admin <address>", "admin of the vault and owner of the books (default: the signer)")
      .option(
        "--hub-signer <address>",
        "relayer signer of the CollateralHub verifier (repeatable; none = no hub)",
        collect,
      )
      .option("--hub-threshold <n>", "signatures required per message", "2")
      .option("--hub-operator <address>", "operator passed to CollateralHub (default: the admin)")
      .option("--factory", "deploy the FuturesMarketFactory and create the markets through it", false)
      .option("--legacy-books", "deploy books without OBVaultAdminFacet (to rehearse the redeploy cut)", false),
  async run(ctx, opts) {
    const markets = ((opts.market as string[] | undefined) ?? []).map(parseMarket);
    const usdc = await ctx.contractFlag("--usdc", opts.usdc as string | undefined);
    const admin = opts.admin ? parseAddress("--admin", opts.admin as string) : undefined;
    const hubSigners = ((opts.hubSigner as string[] | undefined) ?? []).map((a) => parseAddress("--hub-signer", a));
    const threshold = BigInt(opts.hubThreshold as string);
    if (hubSigners.length && (threshold < 1n || threshold > BigInt(hubSigners.length))) {
      throw new DexetraError(
        ErrorCodes.BAD_FLAG,
        `--hub-threshold ${threshold} must be between 1 and the ${hubSigners.length} --hub-signer(s)`,
      );
    }
    const hubOperator = opts.hubOperator ? parseAddress("--hub-operator", opts.hubOperator as string) : undefined;
    const conn = await ctx.conn();
    if (!usdc && !conn.inProcess) {
      throw new DexetraError(
        ErrorCodes.BAD_FLAG,
        `--usdc is required on --network ${ctx.network} (MockUSDC is only for in-process chains)`,
      );
    }
    const rec = await ctx.recordOrEmpty();
    const symbols = new Map<string, string>(rec.markets.map((m) => [m.marketId, m.symbol]));
    for (const m of markets) symbols.set(marketIdOf(conn.chainId, m.symbol), m.symbol);
    const rb = deployRunbook({
      network: ctx.network,
      chainId: conn.chainId,
      rec,
      ...(usdc ? { usdc } : {}),
      ...(admin ? { admin } : {}),
      markets,
      legacyBooks: Boolean(opts.legacyBooks),
      factory: Boolean(opts.factory),
      ...(hubSigners.length
        ? {
            hub: {
              signers: hubSigners,
              threshold,
              operator: hubOperator ?? admin ?? (await ctx.wallet()).account.address,
            },
          }
        : {}),
      recordStep: async (sc) => {
        const o = sc.outputs;
        const a = (k: string) => getAddress(o[k]!);
        await setContract(rec, sc, "Multicall3", {
          address: a("Multicall3"),
          artifact: "Multicall3",
          stepId: "deploy:Multicall3",
        });
        await setContract(rec, sc, "USDC", {
          address: usdc ?? a("USDC"),
          artifact: usdc ? "USDC" : "MockUSDC",
          stepId: "deploy:USDC",
        });
        await setContract(rec, sc, "VaultRiskModule", {
          address: a("VaultRiskModule"),
          artifact: "VaultRiskModule",
          stepId: "deploy:VaultRiskModule",
        });
        await setContract(rec, sc, "CoreVault", {
          address: a("CoreVault"),
          artifact: "CoreVault",
          implementation: a("CoreVaultImpl"),
          stepId: "deploy:CoreVault-proxy",
        });
        if (o.CollateralHub) {
          await setContract(rec, sc, "ThresholdVerifier", {
            address: a("ThresholdVerifier"),
            artifact: "ThresholdVerifier",
            stepId: "deploy:ThresholdVerifier",
          });
          await setContract(rec, sc, "CollateralHub", {
            address: a("CollateralHub"),
            artifact: "CollateralHub",
            implementation: a("CollateralHubImpl"),
            stepId: "deploy:CollateralHub-proxy",
          });
          rec.operators.hubOperator = hubOperator ?? admin ?? sc.signer;
        }
        for (const f of [...FACETS, "OrderBookInit"]) {
          const hash = sc.txOf(`deploy:${f}`);
          rec.facets[f] = {
            artifact: f,
            address: a(f),
            selectors: f === "OrderBookInit" ? [] : selectorsOf(f),
            ...(hash
              ? { deployTx: hash as Hex }
              : rec.facets[f]?.deployTx
                ? { deployTx: rec.facets[f]!.deployTx }
                : {}),
          };
        }
        const vault = a("CoreVault");
        const factory = o.FuturesMarketFactory ? a("FuturesMarketFactory") : undefined;
        if (factory) {
          await setContract(rec, sc, "FuturesMarketFactory", {
            address: factory,
            artifact: "FuturesMarketFactory",
            implementation: a("FuturesMarketFactoryImpl"),
            stepId: "deploy:FuturesMarketFactory-proxy",
          });
          const fabi = readArtifact("FuturesMarketFactory").abi;
          for (const m of markets) {
            const id = (await sc.client.readContract({
              address: factory,
              abi: fabi,
              functionName: "marketIdFor",
              args: [m.symbol],
            })) as Hex;
            symbols.set(id.toLowerCase(), m.symbol);
          }
        }
        rec.markets = await readMarkets(
          sc.client,
          factory ? { vault, factory } : { vault },
          symbols,
          async (ob: Address) =>
            getAddress(
              (
                (await sc.client.readContract({
                  address: ob,
                  abi: orderBookAbi,
                  functionName: "marketStatic",
                })) as unknown as readonly [Address]
              )[0],
            ),
        );
        rec.roles = { CoreVault: await readRoles(sc.client, vault) };
        const adm = admin ?? sc.signer;
        rec.operators.admin = [adm];
        rec.operators.pauser = [adm];
        const saved = ctx.saveRecord(rec);
        writeGeneratedConfig(ctx.io.cwd, saved, ctx.io.env);
        sc.log(`  record written: ${ctx.recordFile}`);
      },
    });
    const { out } = await execRunbook(ctx, rb);
    return out;
  },
};
