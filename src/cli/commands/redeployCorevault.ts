// `dexetra redeploy-corevault`: the last-resort runbook (see src/runbook/redeploy.ts).
import { Option } from "commander";
import { getAddress, parseEther, zeroAddress } from "viem";
import type { Address } from "viem";
import { SET_VAULT_SELECTOR, orderBookAbi, vaultWiringAbi } from "../../chain/abis.ts";
import type { RiskParams } from "../../chain/abis.ts";
import { DexetraError, ErrorCodes } from "../../config/errors.ts";
import { writeGeneratedConfig } from "../../config/generate.ts";
import { readRecord } from "../../config/record.ts";
import { Journal } from "../../runbook/journal.ts";
import { redeployRunbook } from "../../runbook/redeploy.ts";
import type { BookInfo } from "../../runbook/redeploy.ts";
import { readMarkets, readRoles, setContract } from "../../runbook/recordSync.ts";
import type { CommandSpec } from "../command.ts";
import { execRunbook } from "../internal/exec.ts";
import { formatTable } from "../internal/table.ts";
import { SMALL_BLOCK_GAS, runValidation } from "../internal/validation.ts";

export const redeployCorevault: CommandSpec = {
  name: "redeploy-corevault",
  description:
    "last resort: new CoreVault, every role and mapping, hub and factory, books cut over, record, validation",
  sends: true,
  options: (cmd) =>
    cmd
      .addOption(
        new Option(
          "--books <mode>",
          "cutover: re-point every book (needs flat books); keep: dual-vault, books stay on the old vault",
        )
          .choices(["cutover", "keep"])
          .default("cutover"),
      )
      .option("--min-balance <eth>", "minimum signer balance (native token) for preflight", "0.1")
      .option("--small-block-gas <gas>", "gas budget a poke must fit in validation", SMALL_BLOCK_GAS.toString()),
  async run(ctx, opts) {
    const conn = await ctx.conn();
    const c = conn.client;
    const rec = await ctx.record();
    // Resuming after the record step: the record already names the new vault; the run's old vault
    // is its previous generation.
    const j = Journal.load(ctx.journalFile("redeploy-corevault"));
    const newFromJournal = !j.completed ? j.outputs().newVault : undefined;
    const cur = rec.contracts.CoreVault;
    if (!cur) throw new DexetraError(ErrorCodes.RECORD_INVALID, "the record has no CoreVault to replace");
    const oldVault =
      newFromJournal && getAddress(newFromJournal) === cur.address ? cur.previous.at(-1)!.address : cur.address;
    const usdc = rec.contracts.USDC?.address;
    if (!usdc) throw new DexetraError(ErrorCodes.RECORD_INVALID, "the record has no USDC");
    const risk = (await c.readContract({
      address: oldVault,
      abi: vaultWiringAbi,
      functionName: "getRiskParams",
    })) as RiskParams;
    const vaults = new Set([oldVault, ...(newFromJournal ? [getAddress(newFromJournal)] : [])]);
    const books: BookInfo[] = [];
    for (const m of rec.markets.filter((x) => vaults.has(x.vault))) {
      const info = (await c.readContract({
        address: oldVault,
        abi: vaultWiringAbi,
        functionName: "getMarketInfo",
        args: [m.marketId],
      })) as { initialMarginBps: bigint };
      const facet = (await c.readContract({
        address: m.orderBook,
        abi: orderBookAbi,
        functionName: "facetAddress",
        args: [SET_VAULT_SELECTOR],
      })) as Address;
      books.push({
        marketId: m.marketId,
        orderBook: m.orderBook,
        symbol: m.symbol,
        initialMarginBps: info.initialMarginBps,
        hasVaultAdmin: facet !== zeroAddress,
      });
    }
    const smallBlockGas = BigInt(opts.smallBlockGas as string);
    const hub = rec.contracts.CollateralHub?.address;
    const factory = rec.contracts.FuturesMarketFactory?.address;
    const rb = redeployRunbook({
      oldVault,
      usdc,
      ...(factory ? { factory } : {}),
      ...(hub ? { hub } : {}),
      ...(rec.operators.hubOperator ? { hubOperator: rec.operators.hubOperator } : {}),
      books,
      admins: rec.operators.admin,
      pausers: rec.operators.pauser,
      settlementOperators: rec.operators.settlement,
      risk,
      ...(rec.facets.OBVaultAdminFacet ? { vaultAdminFacet: rec.facets.OBVaultAdminFacet.address } : {}),
      defaultImBps: 1000n,
      minSignerBalance: parseEther(opts.minBalance as string),
      books_: opts.books as "cutover" | "keep",
      recordStep: async (sc) => {
        const r = readRecord(ctx.recordFile, { network: ctx.network, chainId: conn.chainId });
        const nv = getAddress(sc.outputs.newVault!);
        await setContract(r, sc, "VaultRiskModule", {
          address: getAddress(sc.outputs.riskModule!),
          artifact: "VaultRiskModule",
          stepId: "deploy:VaultRiskModule",
        });
        await setContract(r, sc, "CoreVault", {
          address: nv,
          artifact: "CoreVault",
          implementation: getAddress(sc.outputs.vaultImpl!),
          stepId: "deploy:CoreVault-proxy",
          reason: "redeploy-corevault",
        });
        if (sc.outputs.vaultAdminFacet && !r.facets.OBVaultAdminFacet) {
          r.facets.OBVaultAdminFacet = {
            artifact: "OBVaultAdminFacet",
            address: getAddress(sc.outputs.vaultAdminFacet),
            selectors: [],
          };
        }
        if (opts.books === "cutover") {
          // The moved markets as the new vault enumerates them; other vaults' markets untouched.
          const symbols = new Map(r.markets.map((m) => [m.marketId as string, m.symbol]));
          const others = r.markets.filter((m) => !vaults.has(m.vault));
          const moved = await readMarkets(c, { vault: nv }, symbols, async (ob) =>
            getAddress(
              (
                (await c.readContract({
                  address: ob,
                  abi: orderBookAbi,
                  functionName: "marketStatic",
                })) as unknown as readonly [Address]
              )[0],
            ),
          );
          r.markets = [...others, ...moved];
        }
        r.roles = { ...r.roles, CoreVault: await readRoles(c, nv) };
        const saved = ctx.saveRecord(r);
        writeGeneratedConfig(ctx.io.cwd, saved, ctx.io.env);
        sc.log(`  record: CoreVault ${cur.address === nv ? "" : `${oldVault} → `}${nv}; config regenerated`);
      },
      validateStep: async (sc) => {
        const r = readRecord(ctx.recordFile, { network: ctx.network, chainId: conn.chainId });
        const items = await runValidation(ctx, c, r, smallBlockGas);
        const failed = items.filter((i) => !i.ok);
        sc.log(
          formatTable(items.map((i) => ({ ok: i.ok ? "✔" : "✘", area: i.area, check: i.check, detail: i.detail }))),
        );
        if (failed.length) {
          throw new DexetraError(
            ErrorCodes.VALIDATION,
            `post-deployment validation failed: ${failed.map((f) => f.check).join("; ")}`,
            { details: { failed } },
          );
        }
        return { validation: `${items.length}/${items.length} checks passed` };
      },
    });
    const { result, out } = await execRunbook(ctx, rb);
    if (result.status === "completed") {
      out.text += `validation: ${result.outputs.validation ?? "n/a"}\n`;
      out.text +=
        opts.books === "keep"
          ? `dual-vault: legacy markets stay on ${oldVault} (unpaused); new markets and hub credits go to the new vault.\n`
          : `old vault ${oldVault} stays paused: its balances are final for \`dexetra snapshot\` / \`dexetra migrate\`.\n`;
    }
    return out;
  },
};
