// "Kill at every step and resume": run a runbook once to count its kill points, then for each
// point k restore the chain, run until the k-th point throws (a simulated process kill: nothing
// after it in that run happens), resume with a fresh run from the journal on disk, and check
// that the signer sent exactly as many transactions as the clean run (nothing repeated, nothing
// skipped) and that the caller's validation passes. Drives the engine directly or the whole CLI.
import assert from "node:assert/strict";
import type { Address, PublicClient } from "viem";
import type { KillPoint } from "../../../src/runbook/engine.ts";

export class SimulatedKill extends Error {
  constructor(point: string) {
    super(`simulated kill at ${point}`);
  }
}

export type Hooks = { at(point: KillPoint, stepId: string): void };

export type KillCase<E> = {
  /** Restore the chain (and any files) to the starting state; return what execute needs. */
  setup(): Promise<E>;
  /** One run: resolves with "completed" when the run finished; a kill rejects or returns otherwise. */
  execute(env: E, hooks: Hooks | undefined): Promise<string>;
  validate(env: E): Promise<void>;
  client: PublicClient;
  signer: Address;
  /** Only every n-th point (slow runbooks); 1 = every point. */
  stride?: number;
};

export async function killAtEveryPoint<E>(c: KillCase<E>): Promise<{ points: string[]; killed: number }> {
  const env0 = await c.setup();
  const nonce0 = await c.client.getTransactionCount({ address: c.signer });
  const points: string[] = [];
  const status = await c.execute(env0, { at: (p, id) => void points.push(`${p}@${id}`) });
  assert.equal(status, "completed", "clean run");
  await c.validate(env0);
  const cleanTxs = (await c.client.getTransactionCount({ address: c.signer })) - nonce0;

  let killed = 0;
  for (let k = 0; k < points.length; k += c.stride ?? 1) {
    const env = await c.setup();
    const start = await c.client.getTransactionCount({ address: c.signer });
    let n = 0;
    let hit = false;
    const status1 = await c
      .execute(env, {
        at: (p, id) => {
          if (n++ === k) {
            hit = true;
            throw new SimulatedKill(`${p}@${id}`);
          }
        },
      })
      .catch((e: unknown) => (e instanceof SimulatedKill ? "killed" : Promise.reject(e)));
    assert.ok(hit && status1 !== "completed", `kill point ${k} (${points[k]}) was reached and stopped the run`);
    killed++;
    const resumed = await c.execute(env, undefined);
    assert.equal(resumed, "completed", `resume after kill at ${points[k]}`);
    const sent = (await c.client.getTransactionCount({ address: c.signer })) - start;
    assert.equal(sent, cleanTxs, `kill at ${points[k]}: ${sent} transactions in total, a clean run sends ${cleanTxs}`);
    await c.validate(env);
  }
  return { points, killed };
}
