// Markets created through the FuturesMarketFactory and read back from it; the redeploy re-points
// the factory, and a market created afterwards lands on the new vault.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { getAddress, parseUnits } from "viem";
import type { Address } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import { orderBookAbi } from "../../../src/chain/abis.ts";
import { populate, startLiveSystem } from "../helpers/liveSystem.ts";
import type { LiveSystem } from "../helpers/liveSystem.ts";

describe("FuturesMarketFactory in the record", () => {
  let s: LiveSystem;
  before(async () => {
    s = await startLiveSystem({ factory: true });
    await populate(s, { flat: true });
  });

  it("deploy created the markets through the factory and check covers the factory wiring", async () => {
    const rec = s.rec();
    const f = rec.contracts.FuturesMarketFactory!.address;
    const abi = readArtifact("FuturesMarketFactory").abi;
    assert.equal(await s.conn.client.readContract({ address: f, abi, functionName: "getMarketsCount" }), 3n);
    assert.deepEqual(rec.markets.map((m) => m.symbol).sort(), ["BTC-USD", "ETH-USD", "SOL-USD"]);
    const r = await s.cli.run(["check", "--json"]);
    assert.equal(r.code, 0, r.stdout);
  });

  it("redeploy re-points the factory; a new market lands on the new vault", async () => {
    const r = await s.cli.run(["redeploy-corevault"]);
    assert.equal(r.code, 0, r.stderr);
    const rec = s.rec();
    const nv = rec.contracts.CoreVault!.address;
    const f = rec.contracts.FuturesMarketFactory!.address;
    const abi = readArtifact("FuturesMarketFactory").abi;
    assert.equal(
      getAddress((await s.conn.client.readContract({ address: f, abi, functionName: "vault" })) as Address),
      nv,
    );
    assert.equal((await s.cli.run(["check"])).code, 0);
    await s.send(s.admin, f, abi, "createFuturesMarket", [
      {
        symbol: "DOGE-USD",
        tickSize: 10_000n,
        lotSize: 10n ** 15n,
        minNotional: 1_000_000n,
        maxLeverage: 5n,
        makerFeeBps: 2n,
        takerFeeBps: 5n,
        startPrice: parseUnits("0.12", 6),
      },
    ]);
    const id = await s.conn.client.readContract({ address: f, abi, functionName: "marketIdFor", args: ["DOGE-USD"] });
    const ob = (await s.conn.client.readContract({
      address: f,
      abi,
      functionName: "orderBookOf",
      args: [id],
    })) as Address;
    const ms = (await s.conn.client.readContract({
      address: ob,
      abi: orderBookAbi,
      functionName: "marketStatic",
    })) as unknown as [Address];
    assert.equal(getAddress(ms[0]), nv);
  });
});
