// `dexetra config generate|show`: write the consumer config from the record, or print the record.
import { Argument } from "commander";
import { writeGeneratedConfig } from "../../config/generate.ts";
import type { CommandSpec } from "../command.ts";
import { formatTable } from "../internal/table.ts";

export const config: CommandSpec = {
  name: "config",
  description: "generate the web/API config from deployments/<network>.json (generate), or print the record (show)",
  sends: false,
  options: (cmd) => cmd.addArgument(new Argument("<action>", "what to do").choices(["generate", "show"])),
  async run(ctx, _opts, args) {
    const rec = await ctx.record();
    if (args[0] === "generate") {
      const files = writeGeneratedConfig(ctx.io.cwd, rec, ctx.io.env);
      return { data: files, text: `wrote ${files.json}\nwrote ${files.env}\n` };
    }
    const rows = Object.entries(rec.contracts).map(([name, c]) => ({
      name,
      address: c.address,
      implementation: c.implementation ?? "",
      block: c.deployBlock ?? "",
      generations: c.previous.length + 1,
    }));
    const markets = rec.markets.map((m) => ({
      marketId: m.marketId.slice(0, 18) + "…",
      symbol: m.symbol,
      orderBook: m.orderBook,
      vault: m.vault,
    }));
    return {
      data: rec,
      text: `network ${rec.network} (chain ${rec.chainId}), updated ${rec.updatedAt}\n\n${formatTable(rows)}\nmarkets\n${formatTable(markets)}`,
    };
  },
};
