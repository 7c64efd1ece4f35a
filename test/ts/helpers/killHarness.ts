// "Kill at every step and resume": run a runbook once to count its kill points, then for each
// point k restore the chain, run until the k-th point throws (a simulated process kill: nothing
// after it in that run happens), resume with a fresh engine from the journal on disk, and check
// that the signer sent exactly as many transactions as the clean run (nothing repeated, nothing
// skipped) and that the caller's validation passes. Reusable for every real runbook.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import type { Address, PublicClient } from "viem";
import { runRunbook } from "../../../src/runbook/engine.ts";
import type { KillPoint, RunOptions } from "../../../src/runbook/engine.ts";
import type { RunResult, Runbook } from "../../../src/runbook/types.ts";

export class SimulatedKill extends Error {
  constructor(point: string) {
    super(`simulated kill at ${point}`);
  }
}

export type KillCase<E> = {
  /** Restore the chain to the starting state and return whatever the runbook needs. */
  setup(): Promise<E>;
  runbook(env: E): Runbook | Promise<Runbook>;
  options(env: E, journalFile: string): RunOptions | Promise<RunOptions>;
  validate(env: E, result: RunResult): Promise<void>;
  client: PublicClient;
  signer: Address;
  journalFile: string;
  /** Only test every n-th point (slow runbooks); 1 = every point. */
  stride?: number;
};

export async function killAtEveryPoint<E>(c: KillCase<E>): Promise<{ points: string[]; killed: number }> {
  rmSync(c.journalFile, { force: true });
  const env0 = await c.setup();
  const nonce0 = await c.client.getTransactionCount({ address: c.signer });
  const points: string[] = [];
  const opts0 = await c.options(env0, c.journalFile);
  const clean = await runRunbook(await c.runbook(env0), {
    ...opts0,
    hooks: { at: (p: KillPoint, id: string) => void points.push(`${p}@${id}`) },
  });
  assert.equal(clean.status, "completed");
  await c.validate(env0, clean);
  const cleanTxs = (await c.client.getTransactionCount({ address: c.signer })) - nonce0;

  let killed = 0;
  for (let k = 0; k < points.length; k += c.stride ?? 1) {
    rmSync(c.journalFile, { force: true });
    const env = await c.setup();
    const start = await c.client.getTransactionCount({ address: c.signer });
    let n = 0;
    const opts = await c.options(env, c.journalFile);
    await assert.rejects(
      runRunbook(await c.runbook(env), {
        ...opts,
        hooks: {
          at: (p: KillPoint, id: string) => {
            if (n++ === k) throw new SimulatedKill(`${p}@${id}`);
          },
        },
      }),
      SimulatedKill,
      `kill point ${k} (${points[k]}) was never reached`,
    );
    killed++;
    const resumed = await runRunbook(await c.runbook(env), { ...(await c.options(env, c.journalFile)) });
    assert.equal(resumed.status, "completed", `resume after kill at ${points[k]}`);
    const sent = (await c.client.getTransactionCount({ address: c.signer })) - start;
    assert.equal(
      sent,
      cleanTxs,
      `kill at ${points[k]}: ${sent} transactions sent in total, a clean run sends ${cleanTxs}`,
    );
    await c.validate(env, resumed);
  }
  return { points, killed };
}
