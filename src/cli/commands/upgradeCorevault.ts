// `dexetra upgrade-corevault`: the preferred path (see src/runbook/upgrade.ts).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress } from "viem";
import { CURRENT, appendOnlyViolations, probeLayout } from "../../../scripts/storage-layout.ts";
import type { LayoutDump } from "../../../scripts/storage-layout.ts";
import { DexetraError, ErrorCodes } from "../../config/errors.ts";
import { readRecord, writeFileAtomic } from "../../config/record.ts";
import { writeGeneratedConfig } from "../../config/generate.ts";
import { Journal } from "../../runbook/journal.ts";
import { setContract } from "../../runbook/recordSync.ts";
import { upgradeRunbook } from "../../runbook/upgrade.ts";
import type { CommandSpec } from "../command.ts";
import { execRunbook } from "../internal/exec.ts";
import { formatTable } from "../internal/table.ts";
import { SMALL_BLOCK_GAS, runValidation } from "../internal/validation.ts";

export const upgradeCorevault: CommandSpec = {
  name: "upgrade-corevault",
  description:
    "upgrade CoreVault in place (UUPS): storage-layout and selector checks first, then deploy, upgrade, record, validate",
  sends: true,
  options: (cmd) =>
    cmd
      .option("--artifact <name>", "implementation contract to deploy", "CoreVault")
      .option(
        "--layout-probe <artifact:contract>",
        "layout probe of the new build",
        `${CURRENT.artifact}:${CURRENT.name}`,
      )
      .option(
        "--deployed-layout <file>",
        "layout dump of the deployed implementation",
        "storage-layouts/CoreVault.json",
      )
      .option("--small-block-gas <gas>", "gas budget a poke must fit in validation", SMALL_BLOCK_GAS.toString()),
  async run(ctx, opts) {
    const rec = await ctx.record();
    const conn = await ctx.conn();
    const cur = rec.contracts.CoreVault;
    if (!cur?.implementation)
      throw new DexetraError(ErrorCodes.RECORD_INVALID, "the record has no CoreVault implementation to upgrade from");
    const dumpFile = join(ctx.io.cwd, opts.deployedLayout as string);
    const dumpPath = existsSync(dumpFile) ? dumpFile : (opts.deployedLayout as string);
    if (!existsSync(dumpPath))
      throw new DexetraError(ErrorCodes.BAD_FLAG, `--deployed-layout ${opts.deployedLayout} does not exist`);
    const deployed = JSON.parse(readFileSync(dumpPath, "utf8")) as LayoutDump;
    const [probeArtifact, probeName] = (opts.layoutProbe as string).split(":");
    const next = probeLayout(probeArtifact!, probeName!);
    const violations = appendOnlyViolations(deployed, next);
    if (violations.length) {
      // Refused before anything else, --plan included.
      throw new DexetraError(
        ErrorCodes.STORAGE_LAYOUT,
        `refusing the upgrade: ${probeName} is not an append-only extension of ${dumpPath}:\n  - ${violations.join("\n  - ")}`,
        {
          hint: "Only append fields to the ERC-7201 structs; retired fields become __unused_n, never removed or moved.",
        },
      );
    }
    // Resuming after the record step: the record already names our implementation.
    const j = Journal.load(ctx.journalFile("upgrade-corevault"));
    const ours = !j.completed ? j.outputs().implementation : undefined;
    const from =
      ours && getAddress(ours) === cur.implementation
        ? (cur.previous.at(-1)?.implementation ?? cur.implementation)
        : cur.implementation;
    const smallBlockGas = BigInt(opts.smallBlockGas as string);
    const rb = upgradeRunbook({
      proxy: cur.address,
      artifact: opts.artifact as string,
      expectedImplementation: from,
      layoutViolations: violations,
      recordStep: async (sc) => {
        const r = readRecord(ctx.recordFile, { network: ctx.network, chainId: conn.chainId });
        await setContract(r, sc, "VaultRiskModule", {
          address: getAddress(sc.outputs.riskModule!),
          artifact: "VaultRiskModule",
          stepId: "deploy:VaultRiskModule",
        });
        await setContract(r, sc, "CoreVault", {
          address: cur.address,
          artifact: opts.artifact as string,
          implementation: getAddress(sc.outputs.implementation!),
          reason: "upgrade-corevault",
        });
        writeGeneratedConfig(ctx.io.cwd, ctx.saveRecord(r), ctx.io.env);
        writeFileAtomic(dumpPath, JSON.stringify(next, null, 2) + "\n");
        sc.log(
          `  record: CoreVault implementation ${from} → ${sc.outputs.implementation}; ${dumpPath} now describes the deployed layout`,
        );
      },
      validateStep: async (sc) => {
        const r = readRecord(ctx.recordFile, { network: ctx.network, chainId: conn.chainId });
        const items = await runValidation(ctx, conn.client, r, smallBlockGas);
        const failed = items.filter((i) => !i.ok);
        sc.log(
          formatTable(items.map((i) => ({ ok: i.ok ? "✔" : "✘", area: i.area, check: i.check, detail: i.detail }))),
        );
        if (failed.length)
          throw new DexetraError(
            ErrorCodes.VALIDATION,
            `post-upgrade validation failed: ${failed.map((f) => f.check).join("; ")}`,
          );
        return { validation: `${items.length}/${items.length} checks passed` };
      },
    });
    const { out } = await execRunbook(ctx, rb);
    return out;
  },
};
