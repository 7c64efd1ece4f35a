// Signer keys come from the environment or a key file outside the repository, never from code:
//   DEXETRA_RELAYER_SIGNER_KEYS   comma-separated 0x-prefixed private keys, or
//   DEXETRA_RELAYER_KEYFILE       path to a file with one key per line (chmod 600).
// In production each key would sit with a different operator (or in a KMS) behind MessageSigner.
import { readFileSync, statSync } from "node:fs";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { LocalSigner } from "./signers.ts";
import { RelayerError } from "./errors.ts";

export function loadSigners(env: NodeJS.ProcessEnv = process.env): LocalSigner[] {
  let raw: string[] = [];
  if (env.DEXETRA_RELAYER_SIGNER_KEYS) {
    raw = env.DEXETRA_RELAYER_SIGNER_KEYS.split(",");
  } else if (env.DEXETRA_RELAYER_KEYFILE) {
    const path = env.DEXETRA_RELAYER_KEYFILE;
    if ((statSync(path).mode & 0o077) !== 0) {
      throw new RelayerError("CONFIG", `${path} is readable by group/others; chmod 600 it`);
    }
    raw = readFileSync(path, "utf8").split("\n");
  }
  const keys = raw.map((k) => k.trim()).filter((k) => k.length > 0);
  if (keys.length === 0) {
    throw new RelayerError("NO_SIGNER_KEYS", "set DEXETRA_RELAYER_SIGNER_KEYS or DEXETRA_RELAYER_KEYFILE");
  }
  return keys.map((k, i) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(k))
      throw new RelayerError("BAD_SIGNER_KEY", `key #${i + 1} is not a 32-byte hex key`);
    return new LocalSigner(privateKeyToAccount(k as Hex));
  });
}
