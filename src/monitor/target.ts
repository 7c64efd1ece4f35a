// What the monitor watches, derived from the deployment record: every contract address, the vault,
// the books, the wiring spec's role holders, and the small-block gas budget.
import { keccak256, toBytes, zeroHash, type PublicClient } from "viem";
import { orderBookAbi } from "../keeper/abi.ts";
import type { DeploymentRecord } from "../config/schema.ts";
import { expectedHolders, peripheryHolders, wiringFromRecord } from "../runbook/wiring.ts";
import { ROLE_NAMES } from "../chain/abis.ts";
import type { RoleGrant } from "./rules.ts";

export type MonitorTarget = {
  chainId: number;
  fromBlock: bigint;
  vault: `0x${string}`;
  contracts: { name: string; address: `0x${string}` }[];
  books: { marketId: `0x${string}`; book: `0x${string}` }[];
  roleSpec: RoleGrant[];
  /** role hash (lower case) -> readable name */
  roleNames: Record<string, string>;
  gasBudget: bigint;
};

/** OpenZeppelin AccessControl role id of a role name. */
export function roleId(name: string): `0x${string}` {
  return name === "DEFAULT_ADMIN_ROLE" ? zeroHash : keccak256(toBytes(name));
}

/**
 * The monitor's view of a record: every contract, facet and book address is followed; the record's
 * role holders are the wiring spec (what the CLI granted); events start at the oldest deploy block.
 */
export function targetFromRecord(rec: DeploymentRecord, gasBudget: bigint): MonitorTarget {
  const vault = rec.contracts.CoreVault?.address;
  if (!vault) throw new Error(`the ${rec.network} record has no CoreVault`);
  const contracts = new Map<string, { name: string; address: `0x${string}` }>();
  const add = (name: string, address: `0x${string}`) => contracts.set(address.toLowerCase(), { name, address });
  for (const [name, c] of Object.entries(rec.contracts)) add(name, c.address);
  for (const m of rec.markets) add(`OrderBook ${m.symbol || m.marketId.slice(0, 10)}`, m.orderBook);
  const roleSpec: RoleGrant[] = [];
  const roleNames: Record<string, string> = Object.fromEntries(ROLE_NAMES.map((r) => [roleId(r), r]));
  for (const [contractName, roles] of Object.entries(rec.roles)) {
    const contract = rec.contracts[contractName]?.address;
    if (!contract) continue;
    for (const [role, holders] of Object.entries(roles)) {
      const id = role.startsWith("0x") ? role.toLowerCase() : roleId(role);
      roleNames[id] = role;
      for (const account of holders) roleSpec.push({ contract, role: id, account });
    }
  }
  // The vault's roles: the ops wiring spec derived from the record (what `dexetra check` enforces).
  for (const [role, holders] of expectedHolders(wiringFromRecord(rec, vault))) {
    roleNames[roleId(role)] = role;
    for (const account of holders) roleSpec.push({ contract: vault, role: roleId(role), account });
  }
  // Roles the deploy runbook hands to operators on the factory and the hub.
  for (const p of peripheryHolders(rec)) {
    const contract = rec.contracts[p.contract]!.address;
    roleNames[roleId(p.role)] = p.role;
    for (const account of p.holders) roleSpec.push({ contract, role: roleId(p.role), account });
  }
  // The admin (meant to be a multisig) holds DEFAULT_ADMIN_ROLE wherever the record says nothing else.
  for (const c of Object.values(rec.contracts))
    for (const admin of rec.operators.admin) roleSpec.push({ contract: c.address, role: zeroHash, account: admin });
  roleNames[zeroHash] = "DEFAULT_ADMIN_ROLE";
  const blocks = [
    ...Object.values(rec.contracts).map((c) => c.deployBlock),
    ...rec.markets.map((m) => m.createdBlock),
  ].filter((b): b is number => b !== undefined);
  return {
    chainId: rec.chainId,
    fromBlock: BigInt(blocks.length ? Math.min(...blocks) : 0),
    vault,
    contracts: [...contracts.values()],
    books: rec.markets.map((m) => ({ marketId: m.marketId, book: m.orderBook })),
    roleSpec,
    roleNames,
    gasBudget,
  };
}

/** A book's vault pointer (first field of the v5 `marketStatic()`). */
export async function readBookVault(client: PublicClient, book: `0x${string}`): Promise<`0x${string}`> {
  const r = await client.readContract({ address: book, abi: orderBookAbi, functionName: "marketStatic" });
  return r[0];
}
