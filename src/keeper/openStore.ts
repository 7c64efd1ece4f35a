// Which keeper store a `--store` value (or DEXETRA_KEEPER_STORE) selects: a postgres:// or
// postgresql:// URL opens the PostgreSQL store, anything else is a SQLite file path (":memory:" for
// a throwaway one). Any other scheme is refused rather than taken for a file name.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import { SqliteStore } from "./sqliteStore.ts";
import type { KeeperStore } from "./store.ts";

const POSTGRES = /^postgres(ql)?:\/\//i;
const ANY_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(spec: string): string {
  try {
    const u = new URL(spec);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return spec.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  }
}

/** Open the store `spec` names. `flag` is named in every error (the flag or variable it came from). */
export async function openKeeperStore(spec: string, flag = "--store"): Promise<KeeperStore> {
  if (!ANY_URL.test(spec)) {
    if (spec !== ":memory:") mkdirSync(dirname(spec), { recursive: true });
    return new SqliteStore(spec);
  }
  const shown = redactUrl(spec);
  const form = "postgres://user:password@host:5432/database";
  if (!POSTGRES.test(spec))
    throw new DexetraError(ErrorCodes.BAD_FLAG, `${flag} ${shown}: only postgres:// URLs or SQLite file paths`, {
      hint: `Give a SQLite file path or ${form}.`,
    });
  let url: URL;
  try {
    url = new URL(spec);
  } catch (cause) {
    throw new DexetraError(ErrorCodes.BAD_FLAG, `${flag} is not a valid PostgreSQL URL: ${shown}`, {
      cause,
      hint: `Expected ${form} (percent-encode special characters in the password).`,
    });
  }
  if (!url.hostname && !url.searchParams.get("host"))
    throw new DexetraError(ErrorCodes.BAD_FLAG, `${flag} ${shown}: the PostgreSQL URL names no host`, {
      hint: `Expected ${form}.`,
    });
  const { PgStore } = await import("./pgStore.ts");
  try {
    return await PgStore.open(spec);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new DexetraError(ErrorCodes.NETWORK, `${flag}: cannot open the PostgreSQL store at ${shown}: ${why}`, {
      cause,
      hint: "Check host, port, database and credentials; the keeper creates its tables itself.",
    });
  }
}
