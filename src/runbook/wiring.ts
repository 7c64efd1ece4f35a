// The declarative wiring spec: what the chain must look like for one CoreVault, derived from the
// record. `readWiring` checks every expectation with batched multicall reads (a system with 100
// books costs a handful of eth_calls); each drift item carries the transaction that repairs it.
import { getAddress, zeroAddress } from "viem";
import type { Abi, Address, Hex, PublicClient } from "viem";
import type { DeploymentRecord } from "../config/schema.ts";
import {
  SET_VAULT_SELECTOR,
  accessControlAbi,
  factoryAbi,
  hubAbi,
  orderBookAbi,
  roleId,
  vaultWiringAbi,
} from "../chain/abis.ts";
import type { RoleName } from "../chain/abis.ts";
import type { TxStep } from "./types.ts";

export type WiringInput = {
  vault: Address;
  factory?: Address;
  hub?: Address;
  hubOperator?: Address;
  books: { marketId: Hex; orderBook: Address }[];
  admins: Address[];
  pausers: Address[];
  settlementOperators: Address[];
  /** The spec: ORDERBOOK_ROLE and (optionally) SETTLEMENT_ROLE to every book. Default on. */
  bookSettlementRole?: boolean;
  /** Contracts allowed (not required) to hold EXTERNAL_CREDITOR_ROLE, e.g. a MigrationCreditor. */
  allowedCreditors?: Address[];
  /** A legacy vault of a dual-vault period: hub and factory point elsewhere (roles may stay). */
  legacy?: boolean;
};

/** Every vault the record still routes markets to, current first (dual-vault periods have two). */
export function vaultsOf(rec: DeploymentRecord): Address[] {
  const cur = rec.contracts.CoreVault?.address;
  const out: Address[] = cur ? [cur] : [];
  for (const m of rec.markets) if (!out.includes(m.vault)) out.push(m.vault);
  return out;
}

type Read = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] };
type Fix = { to: Address; abi: Abi; functionName: string; args: readonly unknown[]; sender: "admin" | "book-owner" };

export type Expectation = {
  id: string;
  what: string;
  critical: boolean;
  read: Read;
  expected: string;
  /** Turn the raw read into the comparable string. */
  pick?: (raw: unknown) => string;
  fix?: Fix;
};

export type DriftItem = {
  id: string;
  what: string;
  expected: string;
  actual: string;
  critical: boolean;
  fix?: Fix;
};

export function wiringFromRecord(rec: DeploymentRecord, vault?: Address): WiringInput {
  const v = vault ?? rec.contracts.CoreVault?.address;
  if (!v) throw new Error("record has no CoreVault");
  const factory = rec.contracts.FuturesMarketFactory?.address;
  const hub = rec.contracts.CollateralHub?.address;
  return {
    vault: v,
    ...(factory ? { factory } : {}),
    ...(hub ? { hub } : {}),
    ...(rec.operators.hubOperator ? { hubOperator: rec.operators.hubOperator } : {}),
    books: rec.markets.filter((m) => m.vault === v).map((m) => ({ marketId: m.marketId, orderBook: m.orderBook })),
    admins: rec.operators.admin,
    pausers: rec.operators.pauser,
    settlementOperators: rec.operators.settlement,
    ...(rec.contracts.MigrationCreditor && rec.migration?.toVault === v
      ? { allowedCreditors: [rec.contracts.MigrationCreditor.address] }
      : {}),
    ...(v !== rec.contracts.CoreVault?.address ? { legacy: true } : {}),
  };
}

const lc = (a: unknown) => String(a).toLowerCase();

function roleExp(vault: Address, role: RoleName, account: Address, why: string, critical = true): Expectation {
  return {
    id: `role:${role}:${account}`,
    what: `${role} → ${why}`,
    critical,
    read: { address: vault, abi: accessControlAbi, functionName: "hasRole", args: [roleId(role), account] },
    expected: "true",
    fix: {
      to: vault,
      abi: accessControlAbi,
      functionName: "grantRole",
      args: [roleId(role), account],
      sender: "admin",
    },
  };
}

/** The expected role holders per role (what `check` compares the on-chain enumeration with). */
export function expectedHolders(w: WiringInput): Map<RoleName, Set<string>> {
  const m = new Map<RoleName, Set<string>>();
  const add = (r: RoleName, a: Address | undefined) => {
    if (!a) return;
    if (!m.has(r)) m.set(r, new Set());
    m.get(r)!.add(lc(a));
  };
  w.admins.forEach((a) => add("DEFAULT_ADMIN_ROLE", a));
  w.pausers.forEach((a) => add("PAUSER_ROLE", a));
  add("FACTORY_ROLE", w.factory);
  add("SETTLEMENT_ROLE", w.factory);
  w.settlementOperators.forEach((a) => add("SETTLEMENT_ROLE", a));
  add("EXTERNAL_CREDITOR_ROLE", w.hub);
  (w.allowedCreditors ?? []).forEach((a) => add("EXTERNAL_CREDITOR_ROLE", a));
  for (const b of w.books) {
    add("ORDERBOOK_ROLE", b.orderBook);
    if (w.bookSettlementRole !== false) add("SETTLEMENT_ROLE", b.orderBook);
  }
  return m;
}

/** Roles the deploy runbook leaves on the periphery contracts, by record contract name: the factory's
 * MARKET_CREATOR_ROLE handed to the admin(s) and the hub's OPERATOR_ROLE held by its operator.
 * (DEFAULT_ADMIN_ROLE on every contract is the admin's, see `operators.admin`.) */
export function peripheryHolders(rec: DeploymentRecord): { contract: string; role: string; holders: Address[] }[] {
  const out: { contract: string; role: string; holders: Address[] }[] = [];
  if (rec.contracts.FuturesMarketFactory)
    out.push({ contract: "FuturesMarketFactory", role: "MARKET_CREATOR_ROLE", holders: rec.operators.admin });
  if (rec.contracts.CollateralHub && rec.operators.hubOperator)
    out.push({ contract: "CollateralHub", role: "OPERATOR_ROLE", holders: [rec.operators.hubOperator] });
  return out;
}

export function expectations(w: WiringInput): Expectation[] {
  const out: Expectation[] = [];
  const v = w.vault;
  w.admins.forEach((a) => out.push(roleExp(v, "DEFAULT_ADMIN_ROLE", a, "admin")));
  w.pausers.forEach((a) => out.push(roleExp(v, "PAUSER_ROLE", a, "pauser", false)));
  if (w.factory) {
    out.push(roleExp(v, "FACTORY_ROLE", w.factory, "factory"));
    out.push(roleExp(v, "SETTLEMENT_ROLE", w.factory, "factory"));
    if (!w.legacy)
      out.push({
        id: `factory-vault:${w.factory}`,
        what: "factory → vault for new markets",
        critical: true,
        read: { address: w.factory, abi: factoryAbi, functionName: "vault" },
        expected: lc(v),
        fix: { to: w.factory, abi: factoryAbi, functionName: "setVault", args: [v], sender: "admin" },
      });
  }
  w.settlementOperators.forEach((a) => out.push(roleExp(v, "SETTLEMENT_ROLE", a, "settlement operator")));
  if (w.hub) {
    out.push(roleExp(v, "EXTERNAL_CREDITOR_ROLE", w.hub, "CollateralHub"));
    const op = w.hubOperator;
    if (!w.legacy)
      out.push({
        id: `hub-vault:${w.hub}`,
        what: "CollateralHub → vault",
        critical: true,
        read: { address: w.hub, abi: hubAbi, functionName: "coreVault" },
        expected: lc(v),
        fix: {
          to: w.hub,
          abi: hubAbi,
          functionName: "setCoreVaultParams",
          args: [v, op ?? zeroAddress],
          sender: "admin",
        },
      });
    if (op && !w.legacy) {
      out.push({
        id: `hub-operator:${w.hub}`,
        what: "CollateralHub operator",
        critical: false,
        read: { address: w.hub, abi: hubAbi, functionName: "operator" },
        expected: lc(op),
        fix: { to: w.hub, abi: hubAbi, functionName: "setCoreVaultParams", args: [v, op], sender: "admin" },
      });
    }
  }
  for (const b of w.books) {
    const ob = b.orderBook;
    out.push({
      id: `registered:${ob}`,
      what: `book ${short(ob)} registered`,
      critical: true,
      read: { address: v, abi: vaultWiringAbi, functionName: "isOrderBookRegistered", args: [ob] },
      expected: "true",
      fix: { to: v, abi: vaultWiringAbi, functionName: "registerOrderBook", args: [ob], sender: "admin" },
    });
    out.push(roleExp(v, "ORDERBOOK_ROLE", ob, `book ${short(ob)}`));
    if (w.bookSettlementRole !== false) out.push(roleExp(v, "SETTLEMENT_ROLE", ob, `book ${short(ob)}`, false));
    out.push({
      id: `mapping:${b.marketId}`,
      what: `market ${short(b.marketId)} → book ${short(ob)}`,
      critical: true,
      read: { address: v, abi: vaultWiringAbi, functionName: "marketToOrderBook", args: [b.marketId] },
      expected: lc(ob),
      fix: {
        to: v,
        abi: vaultWiringAbi,
        functionName: "assignMarketToOrderBook",
        args: [b.marketId, ob],
        sender: "admin",
      },
    });
    out.push({
      id: `book-facet:${ob}`,
      what: `book ${short(ob)} has setVault (OBVaultAdminFacet)`,
      critical: false,
      read: { address: ob, abi: orderBookAbi, functionName: "facetAddress", args: [SET_VAULT_SELECTOR] },
      expected: "present",
      pick: (raw) => (lc(raw) === zeroAddress ? "missing" : "present"),
    });
    out.push({
      id: `book-vault:${ob}`,
      what: `book ${short(ob)} → vault`,
      critical: true,
      read: { address: ob, abi: orderBookAbi, functionName: "marketStatic" },
      expected: lc(v),
      pick: (raw) => lc((raw as readonly unknown[])[0]),
      fix: { to: ob, abi: orderBookAbi, functionName: "setVault", args: [v], sender: "book-owner" },
    });
  }
  return out;
}

export function short(x: string): string {
  return x.length > 14 ? `${x.slice(0, 8)}…${x.slice(-4)}` : x;
}

export type ReadOpts = { multicallAddress?: Address; batchSize?: number; blockNumber?: bigint };

/** Batched reads; a failed read becomes `error: …` (drift), never a silent skip. */
export async function multiRead(
  client: PublicClient,
  reads: Read[],
  o: ReadOpts,
): Promise<({ ok: true; value: unknown } | { ok: false; error: string })[]> {
  if (reads.length === 0) return [];
  if (!o.multicallAddress) {
    return Promise.all(
      reads.map((r) =>
        client
          .readContract({
            ...r,
            args: r.args ?? [],
            ...(o.blockNumber !== undefined ? { blockNumber: o.blockNumber } : {}),
          } as never)
          .then((value) => ({ ok: true as const, value }))
          .catch((e: { shortMessage?: string }) => ({ ok: false as const, error: e.shortMessage ?? String(e) })),
      ),
    );
  }
  const res = await client.multicall({
    contracts: reads.map((r) => ({ ...r, args: r.args ?? [] })) as never,
    allowFailure: true,
    multicallAddress: o.multicallAddress,
    batchSize: o.batchSize ?? 8_192,
    ...(o.blockNumber !== undefined ? { blockNumber: o.blockNumber } : {}),
  });
  return (res as { status: string; result?: unknown; error?: { shortMessage?: string } }[]).map((r) =>
    r.status === "success"
      ? { ok: true as const, value: r.result }
      : { ok: false as const, error: r.error?.shortMessage ?? "call failed" },
  );
}

export async function readWiring(
  client: PublicClient,
  w: WiringInput,
  o: ReadOpts,
): Promise<{ checked: number; drift: DriftItem[] }> {
  const exps = expectations(w);
  const roles = [...expectedHolders(w).keys()];
  const allRoles: RoleName[] = [
    "DEFAULT_ADMIN_ROLE",
    "FACTORY_ROLE",
    "SETTLEMENT_ROLE",
    "EXTERNAL_CREDITOR_ROLE",
    "ORDERBOOK_ROLE",
    "PAUSER_ROLE",
  ];
  const countReads: Read[] = allRoles.map((r) => ({
    address: w.vault,
    abi: accessControlAbi,
    functionName: "getRoleMemberCount",
    args: [roleId(r)],
  }));
  const first = await multiRead(client, [...exps.map((e) => e.read), ...countReads], o);
  const drift: DriftItem[] = [];
  exps.forEach((e, i) => {
    const r = first[i]!;
    const actual = r.ok ? (e.pick ? e.pick(r.value) : lc(r.value)) : `error: ${r.error}`;
    if (actual !== e.expected) {
      drift.push({
        id: e.id,
        what: e.what,
        expected: e.expected,
        actual,
        critical: e.critical,
        ...(e.fix ? { fix: e.fix } : {}),
      });
    }
  });
  // Unexpected holders: enumerate every role's members in one more batched round.
  const expected = expectedHolders(w);
  const memberReads: { role: RoleName; read: Read }[] = [];
  allRoles.forEach((role, i) => {
    const r = first[exps.length + i]!;
    if (!r.ok) {
      drift.push({
        id: `enumerate:${role}`,
        what: `enumerate ${role}`,
        expected: "readable",
        actual: `error: ${r.error}`,
        critical: true,
      });
      return;
    }
    for (let k = 0n; k < (r.value as bigint); k++) {
      memberReads.push({
        role,
        read: { address: w.vault, abi: accessControlAbi, functionName: "getRoleMember", args: [roleId(role), k] },
      });
    }
  });
  const members = await multiRead(
    client,
    memberReads.map((m) => m.read),
    o,
  );
  members.forEach((m, i) => {
    const { role } = memberReads[i]!;
    if (!m.ok) {
      drift.push({
        id: `enumerate:${role}:${i}`,
        what: `enumerate ${role}`,
        expected: "readable",
        actual: `error: ${m.error}`,
        critical: true,
      });
      return;
    }
    const holder = getAddress(m.value as string);
    if (!expected.get(role)?.has(lc(holder))) {
      drift.push({
        id: `unexpected:${role}:${holder}`,
        what: `unexpected ${role} holder ${short(holder)}`,
        expected: "absent",
        actual: "present",
        // An unknown admin or creditor can take funds; other extra holders are warnings.
        critical: role === "DEFAULT_ADMIN_ROLE" || role === "EXTERNAL_CREDITOR_ROLE" || role === "SETTLEMENT_ROLE",
        fix: {
          to: w.vault,
          abi: accessControlAbi,
          functionName: "revokeRole",
          args: [roleId(role), holder],
          sender: "admin",
        },
      });
    }
  });
  void roles;
  return { checked: exps.length + memberReads.length, drift };
}

/** Turn drift into runbook steps that re-read their expectation to know they are done. */
export function repairSteps(
  client: PublicClient,
  w: WiringInput,
  drift: DriftItem[],
  o: { revokeUnexpected: boolean },
): TxStep[] {
  const exps = new Map(expectations(w).map((e) => [e.id, e]));
  const steps: TxStep[] = [];
  const seen = new Set<string>();
  for (const d of drift) {
    if (!d.fix) continue;
    if (d.id.startsWith("unexpected:") && !o.revokeUnexpected) continue;
    const fix = d.fix;
    const key = `${fix.to}:${fix.functionName}:${JSON.stringify(fix.args, (_k, x) => (typeof x === "bigint" ? x.toString() : x))}`;
    if (seen.has(key)) continue; // e.g. hub vault and operator repaired by one call
    seen.add(key);
    const exp = exps.get(d.id);
    steps.push({
      kind: "tx",
      id: `repair:${d.id}`,
      reason: `${d.what}: expected ${d.expected}, found ${d.actual}`,
      // Book owners are the admin in this system (the factory hands ownership to it).
      sender: "admin",
      build: () => ({ kind: "call", to: fix.to, abi: fix.abi, functionName: fix.functionName, args: fix.args }),
      isDone: async () => {
        if (d.id.startsWith("unexpected:")) {
          const [role, holder] = [fix.args[0] as Hex, fix.args[1] as Address];
          return !(await client.readContract({
            address: w.vault,
            abi: accessControlAbi,
            functionName: "hasRole",
            args: [role, holder],
          }));
        }
        if (!exp) return false;
        const raw = await client.readContract({ ...exp.read, args: exp.read.args ?? [] } as never);
        return (exp.pick ? exp.pick(raw) : lc(raw)) === exp.expected;
      },
    });
  }
  // Registration must precede market assignment on the vault.
  const rank = (s: TxStep) => (s.id.startsWith("repair:registered:") ? 0 : s.id.startsWith("repair:mapping:") ? 2 : 1);
  return steps.sort((a, b) => rank(a) - rank(b));
}
