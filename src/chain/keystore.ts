// Web3 Secret Storage (keystore v3) files: scrypt or pbkdf2 key derivation, aes-128-ctr, keccak MAC.
// The decrypted key lives only in memory; nothing here logs or returns it in an error.
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes, randomUUID, scryptSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { bytesToHex, hexToBytes, keccak256 } from "viem";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";

type KeystoreV3 = {
  version: 3;
  id?: string;
  address?: string;
  crypto: {
    cipher: string;
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: "scrypt" | "pbkdf2";
    kdfparams: { dklen: number; salt: string; n?: number; r?: number; p?: number; c?: number; prf?: string };
    mac: string;
  };
};

function deriveKey(password: string, ks: KeystoreV3["crypto"]): Buffer {
  const kp = ks.kdfparams;
  const salt = Buffer.from(kp.salt, "hex");
  if (ks.kdf === "scrypt") {
    const N = kp.n ?? 262144;
    const r = kp.r ?? 8;
    return scryptSync(password, salt, kp.dklen, { N, r, p: kp.p ?? 1, maxmem: 256 * N * r + 1024 * 1024 });
  }
  if (ks.kdf === "pbkdf2" && (kp.prf ?? "hmac-sha256") === "hmac-sha256") {
    return pbkdf2Sync(password, salt, kp.c ?? 262144, kp.dklen, "sha256");
  }
  throw new DexetraError(ErrorCodes.KEYSTORE, `unsupported keystore kdf ${ks.kdf}`);
}

export function decryptKeystore(json: string, password: string): Hex {
  let ks: KeystoreV3;
  try {
    ks = JSON.parse(json) as KeystoreV3;
  } catch (cause) {
    throw new DexetraError(ErrorCodes.KEYSTORE, "keystore file is not JSON", { cause });
  }
  const c =
    (ks as { crypto?: KeystoreV3["crypto"]; Crypto?: KeystoreV3["crypto"] }).crypto ??
    (ks as { Crypto?: KeystoreV3["crypto"] }).Crypto;
  if (ks.version !== 3 || !c || c.cipher !== "aes-128-ctr") {
    throw new DexetraError(ErrorCodes.KEYSTORE, "only keystore v3 files with aes-128-ctr are supported");
  }
  const dk = deriveKey(password, c);
  const ciphertext = Buffer.from(c.ciphertext, "hex");
  const mac = keccak256(Buffer.concat([dk.subarray(16, 32), ciphertext]));
  if (mac.slice(2) !== c.mac.toLowerCase().replace(/^0x/, "")) {
    throw new DexetraError(ErrorCodes.KEYSTORE, "keystore password is wrong (MAC mismatch)");
  }
  const decipher = createDecipheriv("aes-128-ctr", dk.subarray(0, 16), Buffer.from(c.cipherparams.iv, "hex"));
  const pk = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return bytesToHex(pk);
}

/** Encrypt a key into a keystore v3 JSON (scrypt). Small `n` only for tests. */
export function encryptKeystore(privateKey: Hex, password: string, opts: { n?: number } = {}): string {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const n = opts.n ?? 262144;
  const dk = scryptSync(password, salt, 32, { N: n, r: 8, p: 1, maxmem: 256 * n * 8 + 1024 * 1024 });
  const cipher = createCipheriv("aes-128-ctr", dk.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(hexToBytes(privateKey))), cipher.final()]);
  const mac = keccak256(Buffer.concat([dk.subarray(16, 32), ciphertext])).slice(2);
  const address = privateKeyToAccount(privateKey).address.slice(2).toLowerCase();
  return JSON.stringify({
    version: 3,
    id: randomUUID(),
    address,
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: iv.toString("hex") },
      ciphertext: ciphertext.toString("hex"),
      kdf: "scrypt",
      kdfparams: { dklen: 32, salt: salt.toString("hex"), n, r: 8, p: 1 },
      mac,
    },
  });
}

export function readKeystoreFile(file: string, password: string | undefined): Hex {
  if (password === undefined) {
    throw new DexetraError(ErrorCodes.NO_SIGNER, `--keystore ${file} needs its password in DEXETRA_KEYSTORE_PASSWORD`);
  }
  let json: string;
  try {
    json = readFileSync(file, "utf8");
  } catch (cause) {
    throw new DexetraError(ErrorCodes.KEYSTORE, `cannot read keystore ${file}`, { cause });
  }
  return decryptKeystore(json, password);
}
