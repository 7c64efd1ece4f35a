// `dexetra keystore --out <file>`: encrypt DEXETRA_PRIVATE_KEY into a keystore v3 file (scrypt)
// with the password in DEXETRA_KEYSTORE_PASSWORD, so the key no longer needs to sit in the
// environment. Prints only the address.
import { existsSync } from "node:fs";
import { privateKeyToAccount } from "viem/accounts";
import { signerKey } from "../../chain/connect.ts";
import { encryptKeystore } from "../../chain/keystore.ts";
import { DexetraError, ErrorCodes } from "../../config/errors.ts";
import { writeFileAtomic } from "../../config/record.ts";
import type { CommandSpec } from "../command.ts";

export const keystore: CommandSpec = {
  name: "keystore",
  description: "encrypt DEXETRA_PRIVATE_KEY into a keystore v3 file (password from DEXETRA_KEYSTORE_PASSWORD)",
  sends: false,
  options: (cmd) =>
    cmd
      .requiredOption("--out <file>", "keystore file to write (refuses to overwrite)")
      .option("--scrypt-n <n>", "scrypt cost (default 262144)", "262144"),
  async run(ctx, opts) {
    const { key } = signerKey({ env: ctx.io.env });
    if (!key) throw new DexetraError(ErrorCodes.NO_SIGNER, "set DEXETRA_PRIVATE_KEY to the key to encrypt");
    const password = ctx.io.env.DEXETRA_KEYSTORE_PASSWORD;
    if (!password || password.length < 8) {
      throw new DexetraError(ErrorCodes.KEYSTORE, "DEXETRA_KEYSTORE_PASSWORD must be set (at least 8 characters)");
    }
    const out = opts.out as string;
    if (existsSync(out))
      throw new DexetraError(ErrorCodes.BAD_FLAG, `--out ${out} exists; refusing to overwrite a keystore`);
    const n = Number(opts.scryptN);
    if (!Number.isInteger(n) || n < 1024 || (n & (n - 1)) !== 0)
      throw new DexetraError(ErrorCodes.BAD_FLAG, "--scrypt-n must be a power of two ≥ 1024");
    writeFileAtomic(out, encryptKeystore(key, password, { n }));
    const address = privateKeyToAccount(key).address;
    return {
      data: { address, file: out },
      text: `wrote ${out} for ${address}; unset DEXETRA_PRIVATE_KEY and use --keystore ${out}\n`,
    };
  },
};
