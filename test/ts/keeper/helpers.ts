// Test helpers: a real in-process hub chain, fresh funded signer keys, and a transport wrapper that
// fails or hangs on chosen requests (fault injection around the real provider, not a mock chain).
import { network } from "hardhat";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { numberToHex } from "viem";
import type { RequestFn } from "../../../src/keeper/rpc.ts";

export type Chain = Awaited<ReturnType<typeof network.create>>;

export async function hubChain(): Promise<Chain> {
  return network.create("hub");
}

export async function fundedAccounts(chain: Chain, n: number): Promise<PrivateKeyAccount[]> {
  const out: PrivateKeyAccount[] = [];
  for (let i = 0; i < n; i++) {
    const a = privateKeyToAccount(generatePrivateKey());
    await chain.provider.request({ method: "hardhat_setBalance", params: [a.address, numberToHex(10n ** 21n)] });
    out.push(a);
  }
  return out;
}

export type Fault = { failEvery?: number; hangEvery?: number; methods?: string[]; enabled?: boolean };

/** Wraps the chain's provider: every Nth matching request throws an RPC error or never answers. */
export function flaky(
  chain: Chain,
  fault: Fault,
): { request: RequestFn; fault: Fault; stats: { failed: number; hung: number } } {
  let n = 0;
  const stats = { failed: 0, hung: 0 };
  const request: RequestFn = async (args) => {
    const match = fault.enabled !== false && (!fault.methods || fault.methods.includes(args.method));
    if (match) {
      n += 1;
      if (fault.failEvery && n % fault.failEvery === 0) {
        stats.failed += 1;
        throw Object.assign(new Error(`injected RPC failure on ${args.method}`), { code: -32603 });
      }
      if (fault.hangEvery && n % fault.hangEvery === 0) {
        stats.hung += 1;
        return new Promise(() => undefined);
      }
    }
    return chain.provider.request(args as never);
  };
  return { request, fault, stats };
}

export async function setAutomine(chain: Chain, on: boolean): Promise<void> {
  await chain.provider.request({ method: "evm_setAutomine", params: [on] });
}

export async function mine(chain: Chain, blocks = 1): Promise<void> {
  for (let i = 0; i < blocks; i++) await chain.provider.request({ method: "evm_mine", params: [] });
}
