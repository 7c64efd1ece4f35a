// What a destination's refusal means for the relayer: done already, never going to work, or worth
// another try later. Only the on-chain custom error decides; message text is never parsed.
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from "viem";
import { collateralErrorsAbi } from "./abi.ts";

export type Verdict = { outcome: "already" | "permanent" | "transient"; reason: string };

/** Refusals that no retry can change (the message or its proof is wrong for this destination). */
const PERMANENT = new Set([
  "ZeroAddress",
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
      let name = reverted.data?.errorName;
      let decodedArgs: readonly unknown[] = reverted.data?.args ?? [];
      if (!name && reverted.raw) {
        // an error bubbled up from a contract the caller's ABI does not cover (verifier, vault)
        try {
          const d = decodeErrorResult({ abi: collateralErrorsAbi, data: reverted.raw as Hex });
          name = d.errorName;
          decodedArgs = d.args ?? [];
        } catch {
          // unknown selector: keep the raw signature below
        }
      }
      const args = decodedArgs.map((a) => String(a)).join(", ");
      const reason = name ? `${name}(${args})` : `revert ${reverted.signature ?? reverted.reason ?? "without data"}`;
      if (name === "MessageAlreadyProcessed") return { outcome: "already", reason };
      if (name && PERMANENT.has(name)) return { outcome: "permanent", reason };
      return { outcome: "transient", reason };
    }
    return { outcome: "transient", reason: err.shortMessage };
  }
  return { outcome: "transient", reason: err instanceof Error ? err.message : String(err) };
}
