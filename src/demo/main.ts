// The demo: first the whole story in one run (story.ts), then the chapters in depth, on in-process chains. Each chapter prints readable tables.
import { vaultDemo } from "./vault.ts";
import { runOrderBookDemo } from "./orderbook.ts";
import { xchainChapter } from "./xchain.ts";
import { redeployDemo } from "./redeploy.ts";
import { runKeeperDemo } from "./keeper.ts";
import { runStory } from "./story.ts";

function heading(n: number, title: string): void {
  const line = "=".repeat(78);
  console.log(`\n${line}\n Chapter ${n}: ${title}\n${line}`);
}

export async function runDemo(): Promise<void> {
  heading(0, "The whole story: hub + spoke, deposits, a crash, the keeper, the redeploy, reconciliation");
  await runStory();
  heading(1, "CoreVault: collateral, gasless credits, positions and the paged market index");
  await vaultDemo();
  heading(2, "Order book: traders, a price drop, liquidations in small steps (2,000,000-gas blocks)");
  await runOrderBookDemo();
  heading(3, "Cross-chain collateral: deposit on the spoke, trade on the hub, withdraw back");
  await xchainChapter();
  heading(4, "The keeper liquidates a cascade in small blocks; the monitor raises and clears alerts");
  await runKeeperDemo();
  heading(5, "The CoreVault redeploy runbook mid-story: journaled, validated, trading continues");
  await redeployDemo();
}
