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

export type Fault = {
  /** Seed of the pseudo-random draw (deterministic runs; a fixed modulo would alias with a
   * loop that makes the same number of requests every tick). */
  seed?: number;
  /** About one in N matching requests fails before reaching the node. */
  failEvery?: number;
  /** Every Nth matching request never answers (the client's timeout fires). */
  hangEvery?: number;
  /** Every Nth matching request reaches the node but the answer is lost (an error is returned). */
  lostEvery?: number;
  methods?: string[];
  enabled?: boolean;
};

/** Wraps the chain's provider: every Nth matching request throws an RPC error or never answers. */
export function flaky(
  chain: { provider: { request(a: never): Promise<unknown> } },
  fault: Fault,
): { request: RequestFn; fault: Fault; stats: { failed: number; hung: number; lost: number } } {
  let state = fault.seed ?? 0x5eed;
  const draw = (every?: number) => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return every !== undefined && every > 0 && u < 1 / every;
  };
  const stats = { failed: 0, hung: 0, lost: 0 };
  const forward = chain.provider.request.bind(chain.provider) as unknown as RequestFn;
  const request: RequestFn = async (args) => {
    const match = fault.enabled !== false && (!fault.methods || fault.methods.includes(args.method));
    if (match) {
      const [fail, hang, lose] = [draw(fault.failEvery), draw(fault.hangEvery), draw(fault.lostEvery)];
      if (fail) {
        stats.failed += 1;
        throw Object.assign(new Error(`injected RPC failure on ${args.method}`), { code: -32603 });
      }
      if (hang) {
        stats.hung += 1;
        return new Promise(() => undefined);
      }
      if (lose) {
        stats.lost += 1;
        await forward(args);
        throw Object.assign(new Error(`injected lost response on ${args.method}`), { code: -32603 });
      }
    }
    return forward(args);
  };
  return { request, fault, stats };
}

export async function setAutomine(chain: Chain, on: boolean): Promise<void> {
  await chain.provider.request({ method: "evm_setAutomine", params: [on] });
}

export async function mine(chain: Chain, blocks = 1): Promise<void> {
  for (let i = 0; i < blocks; i++) await chain.provider.request({ method: "evm_mine", params: [] });
}
