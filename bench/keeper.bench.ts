// Liquidation cascade on the `hub` chain (2,000,000-gas blocks): 1,000 underwater longs across 3
// markets on the real CoreVault and OrderBook diamonds, the keeper running with 4 signer keys
// (8 pending transactions each). One keeper tick per block; gas from receipts.
//   keeper.cascade1000.blocks   blocks from the keeper's start until every account is flat
//   keeper.cascade1000.maxTxGas largest gas used by one keeper transaction
//   keeper.cascade1000.txs      keeper transactions mined in those blocks
// Maker-reward settlements wait until no account is at risk; they are reported, not counted.
import { network } from "hardhat";
import { buildCascade, cascadeKeeper, fundedKeys } from "../src/keeper/scenario.ts";
import { drive, liquidationsByUser, openCount } from "../src/keeper/drive.ts";

export async function run(): Promise<Record<string, number>> {
  const chain = await network.create("hub");
  const keys = await fundedKeys(chain.provider, 4);
  const c = await buildCascade(chain, {
    symbols: ["ETH-USD", "BTC-USD", "SOL-USD"],
    victims: [334, 333, 333],
    rewardKeeper: keys[0]!.address,
  });
  const start = await c.client.getBlockNumber();
  const keeper = cascadeKeeper(c, keys, start);
  const flat = 2 * c.markets.length; // whale and printer keep their positions
  let liquidatedAt = 0;
  const r = await drive(chain.provider, c, [keeper], {
    maxBlocks: 1_000,
    onBlock: async (b) => {
      if (!liquidatedAt && (await openCount(c)) === flat) liquidatedAt = b;
    },
    done: async () => liquidatedAt > 0,
  });
  const txs = r.txsPerBlock.slice(0, liquidatedAt).reduce((a, b) => a + b, 0);
  const byUser = await liquidationsByUser(c, start);
  const twice = [...byUser.values()].filter((n) => n > 1).length;
  const missed = c.markets.flatMap((m) => m.victims).filter((v) => !byUser.has(v.toLowerCase())).length;
  const byKind = Object.fromEntries(
    Object.entries(r.gasByKind).map(([k, v]) => [k, { n: v.length, max: v.reduce((a, b) => (b > a ? b : a), 0n) }]),
  );
  console.table([
    {
      blocks: liquidatedAt,
      txs,
      maxTxGas: r.maxTxGas,
      maxBlockGas: r.maxBlockGas,
      reverted: r.reverted,
      twice,
      missed,
      settlementBlocksAfter: r.blocks - liquidatedAt,
      allTxs: r.txs,
    },
  ]);
  console.table(byKind);
  if (twice || missed || !liquidatedAt) throw new Error(`cascade incomplete: twice ${twice}, missed ${missed}`);
  return {
    "keeper.cascade1000.blocks": liquidatedAt,
    "keeper.cascade1000.maxTxGas": Number(r.maxTxGas),
    "keeper.cascade1000.txs": txs,
  };
}
