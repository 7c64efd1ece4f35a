// What the monitor watches, derived from the deployment record: every contract address, the vault,
// the books, the wiring spec's role holders, and the small-block gas budget.
import { parseAbi, type PublicClient } from "viem";
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

const bookVaultAbi = parseAbi([
  "function vault() view returns (address)",
  "function getVault() view returns (address)",
]);

/** A book's vault pointer (`vault()`, or the v5 `getVault()`). */
export async function readBookVault(client: PublicClient, book: `0x${string}`): Promise<`0x${string}`> {
  try {
    return await client.readContract({ address: book, abi: bookVaultAbi, functionName: "vault" });
  } catch {
    return await client.readContract({ address: book, abi: bookVaultAbi, functionName: "getVault" });
  }
}
