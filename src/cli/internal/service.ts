// Shared plumbing of the long-running commands (keeper, monitor, dashboard, up): signer keys for
// workers, and waiting for Ctrl-C / SIGTERM (or --duration) before a clean stop.
import { numberToHex, type EIP1193Provider } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { DexetraError, ErrorCodes } from "../../config/errors.ts";

/**
 * Keeper keys: DEXETRA_KEEPER_KEYS (comma-separated, several keys = several nonce lanes), else
 * DEXETRA_PRIVATE_KEY. On a dev chain (in-process or `dexetra up`) with neither, `devKeys` fresh
 * keys are generated and funded with hardhat_setBalance. Never logged.
 */
export async function workerAccounts(
  env: NodeJS.ProcessEnv,
  provider: EIP1193Provider,
  devChain: boolean,
  devKeys = 3,
): Promise<PrivateKeyAccount[]> {
  const raw = (env.DEXETRA_KEEPER_KEYS ?? env.DEXETRA_PRIVATE_KEY ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  if (raw.length > 0) {
    return raw.map((k, i) => {
      const key = k.startsWith("0x") ? k : `0x${k}`;
      if (!/^0x[0-9a-fA-F]{64}$/.test(key))
        throw new DexetraError(ErrorCodes.NO_SIGNER, `keeper key #${i + 1} is not a 32-byte hex key (value not shown)`);
      return privateKeyToAccount(key as `0x${string}`);
    });
  }
  if (!devChain)
    throw new DexetraError(ErrorCodes.NO_SIGNER, "no keeper keys", {
      hint: "Set DEXETRA_KEEPER_KEYS=<key>,<key>,… (one nonce lane per key) or DEXETRA_PRIVATE_KEY.",
    });
  const out: PrivateKeyAccount[] = [];
  for (let i = 0; i < devKeys; i++) {
    const a = privateKeyToAccount(generatePrivateKey());
    await provider.request({ method: "hardhat_setBalance", params: [a.address, numberToHex(10n ** 20n)] } as never);
    out.push(a);
  }
  return out;
}

/** Resolve on SIGINT / SIGTERM, or after `seconds` when given. */
export function untilStopped(seconds?: number): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      if (timer) clearTimeout(timer);
      resolve(why);
    };
    const onInt = () => done("SIGINT");
    const onTerm = () => done("SIGTERM");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
    const timer = seconds === undefined ? undefined : setTimeout(() => done("duration"), seconds * 1000);
  });
}

/** A USDC amount flag (decimal, at most 6 decimals) in micro-USDC, or false for "off". */
export function usdcFlag(name: string, v: unknown): bigint | false | undefined {
  if (v === undefined) return undefined;
  const t = String(v).trim();
  if (t === "off") return false;
  if (!/^\d+(\.\d{1,6})?$/.test(t))
    throw new DexetraError(
      ErrorCodes.BAD_FLAG,
      `${name} must be a USDC amount (up to 6 decimals) or "off", got "${t}"`,
    );
  const [whole, frac = ""] = t.split(".");
  return BigInt(whole!) * 1_000_000n + BigInt(frac.padEnd(6, "0"));
}

export function intFlag(name: string, v: unknown, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new DexetraError(ErrorCodes.BAD_FLAG, `${name} must be a number >= ${min}`);
  return n;
}
