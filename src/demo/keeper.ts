// Demo chapter: the keeper liquidating a cascade in 2,000,000-gas blocks while the monitor raises
// and clears alerts. Real CoreVault and OrderBook diamonds on an in-process hub chain.
import { network } from "hardhat";
import { buildCascade, cascadeKeeper, cascadeRecord, fundedKeys } from "../keeper/scenario.ts";
import { drive, openCount } from "../keeper/drive.ts";
import { Monitor } from "../monitor/monitor.ts";
import { MonitorStore } from "../monitor/store.ts";
import { targetFromRecord } from "../monitor/target.ts";

export async function runKeeperDemo(): Promise<void> {
  console.log("\n== Keeper and monitor: a liquidation cascade in 2,000,000-gas blocks ==");
  const chain = await network.create("hub");
  const keys = await fundedKeys(chain.provider, 3);
  const c = await buildCascade(chain, { symbols: ["ETH-USD", "BTC-USD"], victims: 12, rewardKeeper: keys[0]!.address });
  console.log(`2 markets, 24 longs at 1,000 USDC with 13 % margin; the book repriced to 905: all underwater.`);

  const notices: { notice: string; rule: string; message: string }[] = [];
  const monitor = new Monitor({
    client: c.client,
    store: new MonitorStore(),
    target: targetFromRecord(cascadeRecord(c, "hub"), 1_500_000n),
    sink: {
      stdout: (line) => {
        const n = JSON.parse(line) as { notice: string; rule: string; message: string };
        notices.push({ notice: n.notice, rule: n.rule, message: n.message.slice(0, 90) });
      },
    },
    maxLiquidatableBlocks: 2,
  });
  await monitor.tick();
  await chain.provider.request({ method: "hardhat_mine", params: ["0x3"] });
  await monitor.tick(); // nobody liquidated them for 3 blocks: alerts
  const raised = notices.length;
  console.log(`monitor: ${raised} alerts raised (accounts liquidatable for more than 2 blocks), e.g.`);
  console.table(notices.slice(0, 3));

  const start = await c.client.getBlockNumber({ cacheTime: 0 });
  const keeper = cascadeKeeper(c, keys, start);
  const perBlock: Record<string, string | number>[] = [];
  let flatAt = 0;
  const r = await drive(chain.provider, c, [keeper], {
    maxBlocks: 100,
    onBlock: async (b) => {
      const block = await c.client.getBlock();
      const open = (await openCount(c)) - 4;
      if (!flatAt && open === 0) flatAt = b;
      perBlock.push({
        block: Number(block.number),
        "gas used": Number(block.gasUsed),
        "% of 2M": `${((Number(block.gasUsed) / 2e6) * 100).toFixed(0)} %`,
        "longs still open": open,
      });
    },
    done: async () => flatAt > 0 && keeper.sentByKind.reward === 24,
  });
  console.log("keeper: one tick per block, worst accounts first, 3 keys x 8 pending nonces");
  console.table(perBlock);
  const gas = (k: string) => r.gasByKind[k] ?? [];
  const max = (v: bigint[]) => v.reduce((a, b) => (b > a ? b : a), 0n);
  console.table([
    { transaction: "liquidateUser", count: gas("liquidateUser").length, "max gas": Number(max(gas("liquidateUser"))) },
    {
      transaction: "settleMakerRewards",
      count: gas("settleMakerRewards").length,
      "max gas": Number(max(gas("settleMakerRewards"))),
    },
    {
      transaction: "pokeLiquidations",
      count: gas("pokeLiquidations").length,
      "max gas": Number(max(gas("pokeLiquidations"))),
    },
  ]);
  console.log(
    `every long flat after ${flatAt} blocks; ${r.reverted} reverted transactions; largest block ${r.maxBlockGas} gas`,
  );

  await monitor.tick();
  const cleared = notices.slice(raised).filter((n) => n.notice === "cleared");
  console.log(`monitor: ${cleared.length} alerts cleared, ${monitor.alerts.active().length} still active`);
  await chain.close();
}
