// What a destination's refusal means for the relayer: done already, never going to work, or worth
// another try later. Only the on-chain custom error decides; message text is never parsed.
import { BaseError, ContractFunctionRevertedError } from "viem";

export type Verdict = { outcome: "already" | "permanent" | "transient"; reason: string };

/** Refusals that no retry can change (the message or its proof is wrong for this destination). */
const PERMANENT = new Set([
  "WrongMessageKind",
  "WrongDestination",
  "UnknownSource",
  "ZeroAmount",
  "AmountAboveMessageLimit",
  "MalformedProof",
  "InvalidSignature",
  "SignersNotAscending",
  "UnknownSigner",
  "NotEnoughSignatures",
]);

export function classify(err: unknown): Verdict {
  if (err instanceof BaseError) {
    const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const name = reverted.data?.errorName;
      const args = (reverted.data?.args ?? []).map((a) => String(a)).join(", ");
      const reason = name ? `${name}(${args})` : `revert ${reverted.signature ?? reverted.reason ?? "without data"}`;
      if (name === "MessageAlreadyProcessed") return { outcome: "already", reason };
      if (name && PERMANENT.has(name)) return { outcome: "permanent", reason };
      return { outcome: "transient", reason };
    }
    return { outcome: "transient", reason: err.shortMessage };
  }
  return { outcome: "transient", reason: err instanceof Error ? err.message : String(err) };
}
