// The m-of-n signer side. Each signer checks the message against the source chain itself before
// signing (a relayer that relays a made-up message gets no signature), then signs the EIP-712
// digest the destination's ThresholdVerifier checks.
import { concat, decodeEventLog, type Address, type Hex, type LocalAccount } from "viem";
import { hubAbi, spokeAbi } from "./abi.ts";
import { KIND_DEPOSIT, type CollateralMessage, type Route, type TrackedMessage } from "./types.ts";
import { RelayerError } from "./errors.ts";

export const MESSAGE_TYPES = {
  Message: [
    { name: "kind", type: "uint8" },
    { name: "srcChainId", type: "uint64" },
    { name: "srcContract", type: "address" },
    { name: "dstChainId", type: "uint64" },
    { name: "dstContract", type: "address" },
    { name: "nonce", type: "uint64" },
    { name: "user", type: "address" },
    { name: "amount", type: "uint256" },
  ],
} as const;

export function verifierDomain(chainId: bigint, verifier: Address) {
  return { name: "Dexetra ThresholdVerifier", version: "1", chainId, verifyingContract: verifier } as const;
}

export interface MessageSigner {
  readonly address: Address;
  /** Confirm `tracked` was emitted on its source chain, then sign it for the route's destination. */
  attest(route: Route, tracked: TrackedMessage): Promise<Hex>;
}

function same(a: CollateralMessage, b: CollateralMessage): boolean {
  return (
    a.kind === b.kind &&
    a.srcChainId === b.srcChainId &&
    a.srcContract.toLowerCase() === b.srcContract.toLowerCase() &&
    a.dstChainId === b.dstChainId &&
    a.dstContract.toLowerCase() === b.dstContract.toLowerCase() &&
    a.nonce === b.nonce &&
    a.user.toLowerCase() === b.user.toLowerCase() &&
    a.amount === b.amount
  );
}

/** Read the message `id` back from the source chain's logs at `block`. */
export async function readSourceMessage(route: Route, id: Hex, block: bigint): Promise<CollateralMessage | undefined> {
  const src = route.source;
  const logs = await src.publicClient.getLogs({ address: src.contract, fromBlock: block, toBlock: block });
  for (const log of logs) {
    if (log.topics[1]?.toLowerCase() !== id.toLowerCase()) continue;
    try {
      const abi = route.kind === KIND_DEPOSIT ? spokeAbi : hubAbi;
      const ev = decodeEventLog({ abi, data: log.data, topics: log.topics });
      if (ev.eventName === "DepositSent" || ev.eventName === "WithdrawalRequested") {
        const m = ev.args.message;
        return { ...m, kind: Number(m.kind) };
      }
    } catch {
      // another event of the contract with the same first topic layout: not ours
    }
  }
  return undefined;
}

/** A signer whose key lives in this process (env or keystore in production, test keys in tests). */
export class LocalSigner implements MessageSigner {
  readonly #account: LocalAccount;

  constructor(account: LocalAccount) {
    this.#account = account;
  }

  get address(): Address {
    return this.#account.address;
  }

  async attest(route: Route, tracked: TrackedMessage): Promise<Hex> {
    const onChain = await readSourceMessage(route, tracked.id, tracked.srcBlock);
    if (!onChain || !same(onChain, tracked.message)) {
      throw new RelayerError("SOURCE_MISMATCH", `message ${tracked.id} not found as claimed on ${route.source.name}`);
    }
    const dst = route.destination;
    return this.#account.signTypedData({
      domain: verifierDomain(dst.chainId, dst.verifier),
      types: MESSAGE_TYPES,
      primaryType: "Message",
      message: tracked.message,
    });
  }
}

/** Ask every signer, keep `threshold` signatures, order them by signer address as the verifier
 * requires and concatenate them into the proof. One unreachable signer does not block the rest. */
export async function collectProof(
  signers: readonly MessageSigner[],
  route: Route,
  tracked: TrackedMessage,
  threshold: number,
): Promise<Hex> {
  const results = await Promise.allSettled(
    signers.map(async (s) => ({ by: s.address, sig: await s.attest(route, tracked) })),
  );
  const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  if (ok.length < threshold) {
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
    throw new RelayerError("NOT_ENOUGH_SIGNATURES", `${ok.length}/${threshold} signatures: ${reasons.join("; ")}`);
  }
  const chosen = ok
    .sort((a, b) => (BigInt(a.by) < BigInt(b.by) ? -1 : 1))
    .slice(0, threshold)
    .sort((a, b) => (BigInt(a.by) < BigInt(b.by) ? -1 : 1));
  return concat(chosen.map((c) => c.sig));
}
