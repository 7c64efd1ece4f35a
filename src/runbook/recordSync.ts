// Fill the record from the chain: contract generations, facets, markets (enumerated on chain,
// never from an off-chain list) and role holders. Used by every runbook's "record" step.
import { getAddress } from "viem";
import type { Address, Hex, PublicClient } from "viem";
import { ROLE_NAMES, accessControlAbi, factoryAbi, roleId, vaultWiringAbi } from "../chain/abis.ts";
import type { ContractEntry, DeploymentRecord, MarketEntry } from "../config/schema.ts";
import type { StepContext } from "./types.ts";

/** Set `name` to `address`, moving a different current generation into `previous`. */
export async function setContract(
  rec: DeploymentRecord,
  ctx: StepContext,
  name: string,
  p: { address: Address; artifact: string; implementation?: Address; stepId?: string; reason?: string },
): Promise<void> {
  const cur = rec.contracts[name];
  const hash = p.stepId ? ctx.txOf(p.stepId) : undefined;
  let deployBlock: number | undefined;
  if (hash) deployBlock = Number((await ctx.client.getTransactionReceipt({ hash: hash as Hex })).blockNumber);
  const same = cur && getAddress(cur.address) === getAddress(p.address);
  const sameImpl = same && (cur.implementation ?? "") === (p.implementation ?? "");
  if (same && sameImpl) return;
  const previous = cur ? [...cur.previous] : [];
  if (cur) {
    previous.push({
      address: cur.address,
      ...(cur.implementation ? { implementation: cur.implementation } : {}),
      ...(cur.deployBlock !== undefined ? { deployBlock: cur.deployBlock } : {}),
      ...(cur.deployTx ? { deployTx: cur.deployTx } : {}),
      retiredAt: new Date().toISOString(),
      ...(p.reason ? { reason: p.reason } : {}),
    });
  }
  const entry: ContractEntry = {
    artifact: p.artifact,
    address: p.address,
    ...(p.implementation ? { implementation: p.implementation } : {}),
    ...(same && cur.deployBlock !== undefined
      ? { deployBlock: cur.deployBlock }
      : deployBlock !== undefined
        ? { deployBlock }
        : {}),
    ...(same && cur.deployTx ? { deployTx: cur.deployTx } : hash ? { deployTx: hash as Hex } : {}),
    previous,
  };
  rec.contracts[name] = entry;
}

export async function readMarkets(
  client: PublicClient,
  source: { vault: Address; factory?: Address },
  symbols: Map<string, string>,
  vaultOf: (ob: Address) => Promise<Address>,
): Promise<MarketEntry[]> {
  const abi = source.factory ? factoryAbi : vaultWiringAbi;
  const address = source.factory ?? source.vault;
  const count = (await client.readContract({ address, abi, functionName: "getMarketsCount" })) as bigint;
  const out: MarketEntry[] = [];
  for (let off = 0n; off < count; off += 100n) {
    const [ids, books] = (await client.readContract({
      address,
      abi,
      functionName: "getMarketsPage",
      args: [off, 100n],
    })) as readonly [Hex[], Address[]];
    if (ids.length === 0) throw new Error(`market enumeration stopped at ${off} of ${count}`);
    for (let i = 0; i < ids.length; i++) {
      const ob = getAddress(books[i]!);
      out.push({
        marketId: ids[i]!.toLowerCase() as Hex,
        symbol: symbols.get(ids[i]!.toLowerCase()) ?? "",
        orderBook: ob,
        vault: await vaultOf(ob),
      });
    }
  }
  if (BigInt(out.length) !== count) throw new Error(`market enumeration returned ${out.length} of ${count}`);
  return out;
}

export async function readRoles(client: PublicClient, vault: Address): Promise<Record<string, Address[]>> {
  const roles: Record<string, Address[]> = {};
  for (const r of ROLE_NAMES) {
    const n = (await client.readContract({
      address: vault,
      abi: accessControlAbi,
      functionName: "getRoleMemberCount",
      args: [roleId(r)],
    })) as bigint;
    const holders: Address[] = [];
    for (let i = 0n; i < n; i++) {
      holders.push(
        getAddress(
          (await client.readContract({
            address: vault,
            abi: accessControlAbi,
            functionName: "getRoleMember",
            args: [roleId(r), i],
          })) as Address,
        ),
      );
    }
    roles[r] = holders;
  }
  return roles;
}
