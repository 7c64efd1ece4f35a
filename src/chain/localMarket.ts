// A market on the local hub chain created the production way: facets + FuturesMarketFactory in big
// blocks, then createFuturesMarket (one transaction wires book and vault). Returns per-user handles.
import { getContract, type Address, type Hex } from "viem";
import { deployOrderBookFacets, orderBookAbi } from "./deployOrderBook.ts";
import { deployFactory, DEFAULT_MARKET } from "./deployFactory.ts";
import { inBigBlocks, type Xchain } from "./localXchain.ts";

export async function createLocalMarket(x: Xchain, symbol: string, startPrice: bigint) {
  const admin = x.hubAdmin.account.address;
  return inBigBlocks(x.hubNet.provider, async () => {
    const facets = await deployOrderBookFacets(x.hubViem);
    const factory = await deployFactory(x.hubViem, {
      admin,
      vault: x.vault.address,
      bookOwner: admin,
      feeRecipient: admin,
      facets,
    });
    const hash = await factory.write.createFuturesMarket!([{ ...DEFAULT_MARKET, symbol, startPrice }]);
    const receipt = await x.hubPublic.waitForTransactionReceipt({ hash });
    const marketId = (await factory.read.marketIdFor!([symbol])) as Hex;
    const book = (await factory.read.orderBookOf!([marketId])) as Address;
    const abi = orderBookAbi(facets);
    const bookFor = (i: number) =>
      getContract({ address: book, abi, client: { public: x.hubPublic, wallet: x.hubUsers[i]! } });
    return { factory, marketId, book, abi, bookFor, createGas: receipt.gasUsed };
  });
}
