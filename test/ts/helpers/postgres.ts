// A throwaway PostgreSQL cluster for tests (a real server, no mocks): `initdb` into a temp dir,
// `postgres` on a free loopback port with its sockets in that dir, stopped and deleted by stop().
// PostgreSQL refuses to run as root, so under root (CI) the cluster runs as the `postgres` user, or
// `nobody` where there is none. Binaries come from PATH or /usr/lib/postgresql/<newest>/bin;
// `node scripts/bootstrap.mjs --with-postgres` (part of `npm test`) installs them when missing.
import { spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import pg from "pg";

export type PgCluster = {
  /** postgres:// URL of the cluster's `postgres` database (superuser `dexetra`, trust auth). */
  url: string;
  /** A schema name not used before in this cluster (for isolating one test's tables). */
  freshSchema(): string;
  stop(): Promise<void>;
};

/** Directory holding initdb and postgres of one PostgreSQL version. */
export function postgresBinDir(): string {
  const onPath = (process.env.PATH ?? "").split(delimiter).map((d) => join(d, "initdb"));
  const versions = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates = [...onPath, ...versions.map((v) => `/usr/lib/postgresql/${v}/bin/initdb`)];
  const initdb = candidates.find((f) => existsSync(f) && existsSync(join(dirname(realpathSync(f)), "postgres")));
  if (!initdb)
    throw new Error(
      "PostgreSQL server binaries (initdb, postgres) not found on PATH or under /usr/lib/postgresql/*/bin: " +
        "run `node scripts/bootstrap.mjs --with-postgres` (or install Debian's `postgresql`)",
    );
  return dirname(realpathSync(initdb));
}

/** uid/gid to run the server as: ourselves, or an unprivileged account when we are root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const users = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((l) => l.split(":"));
  const u = users.find((f) => f[0] === "postgres") ?? users.find((f) => f[0] === "nobody");
  if (!u) throw new Error("running as root and neither a `postgres` nor a `nobody` user exists");
  return { uid: Number(u[2]), gid: Number(u[3]) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function run(bin: string, args: string[], opts: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { ...opts, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    p.once("error", reject);
    p.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited ${code}: ${err}`))));
  });
}

async function ready(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited ${server.exitCode}: ${log()}`);
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.query("SELECT 1");
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`postgres not ready after 30 s: ${String(err)}\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.kill("SIGKILL"), 10_000);
    server.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    server.kill("SIGINT"); // fast shutdown: roll back open transactions, close connections
  });
}

export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "dexetra-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const opts = { cwd: dir, env: { ...process.env, LC_ALL: "C" }, ...(user ?? {}) };
  await run(join(bin, "initdb"), ["-D", data, "-U", "dexetra", "--auth=trust", "-E", "UTF8", "--locale=C", "-N"], opts);

  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort(); // another process may take it first: then try another
    const server = spawn(
      join(bin, "postgres"),
      ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"]
        .concat(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
        .concat(["-c", "max_connections=200"]),
      { ...opts, stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    server.stderr!.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-8192)));
    // If the test process dies without stop(), do not leave a server behind.
    const onExit = () => server.kill("SIGQUIT");
    process.once("exit", onExit);
    const url = `postgresql://dexetra@127.0.0.1:${port}/postgres`;
    try {
      await ready(url, server, () => log);
    } catch (err) {
      lastError = err;
      await stopServer(server);
      process.off("exit", onExit);
      continue;
    }
    let n = 0;
    return {
      url,
      freshSchema: () => `t${process.pid}_${++n}`,
      stop: async () => {
        await stopServer(server);
        process.off("exit", onExit);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
