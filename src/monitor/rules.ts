// Monitor rules: small pure functions from observed state to the set of alerts that should be
// active now. The monitor diffs that set against the last one to raise and clear alerts.

export type Severity = "critical" | "warning" | "info";

export type Alert = {
  /** Stable identity: the same condition always has the same key (raise once, clear once). */
  key: string;
  rule: string;
  severity: Severity;
  message: string;
  data: Record<string, string | number | boolean>;
};

const lc = (a: string) => a.toLowerCase();

// ---------------------------------------------------------------- roles
export type RoleGrant = { contract: string; role: string; account: string };

/** A role held by an address the wiring spec does not list for that contract and role. */
export function unexpectedRoleHolders(
  held: RoleGrant[],
  spec: RoleGrant[],
  roleNames: Record<string, string> = {},
): Alert[] {
  const allowed = new Set(spec.map((g) => `${lc(g.contract)}|${lc(g.role)}|${lc(g.account)}`));
  return held
    .filter((g) => !allowed.has(`${lc(g.contract)}|${lc(g.role)}|${lc(g.account)}`))
    .map((g) => ({
      key: `role:${lc(g.contract)}:${lc(g.role)}:${lc(g.account)}`,
      rule: "unexpected-role",
      severity: "critical" as const,
      message: `${roleNames[lc(g.role)] ?? g.role} on ${g.contract} held by ${g.account}, not in the wiring spec`,
      data: { contract: g.contract, role: roleNames[lc(g.role)] ?? g.role, account: g.account },
    }));
}

/** Fold RoleGranted / RoleRevoked into the set of current holders. */
export function applyRoleEvent(held: RoleGrant[], ev: RoleGrant & { granted: boolean }): RoleGrant[] {
  const same = (g: RoleGrant) =>
    lc(g.contract) === lc(ev.contract) && lc(g.role) === lc(ev.role) && lc(g.account) === lc(ev.account);
  const rest = held.filter((g) => !same(g));
  return ev.granted ? [...rest, { contract: ev.contract, role: ev.role, account: ev.account }] : rest;
}

// ---------------------------------------------------------------- book -> vault
/** Every book whose vault pointer is not the current vault. */
export function booksOnWrongVault(
  books: { book: string; marketId: string; vault: string }[],
  currentVault: string,
): Alert[] {
  return books
    .filter((b) => lc(b.vault) !== lc(currentVault))
    .map((b) => ({
      key: `book-vault:${lc(b.book)}`,
      rule: "book-wrong-vault",
      severity: "critical" as const,
      message: `order book ${b.book} (market ${b.marketId}) points at ${b.vault}, the current vault is ${currentVault}`,
      data: { book: b.book, marketId: b.marketId, vault: b.vault, currentVault },
    }));
}

// ---------------------------------------------------------------- liquidatable too long
/** First block each (market, user) was seen liquidatable; healthy accounts leave the map. */
export type LiquidatableSince = Record<string, number>;

export function trackLiquidatable(
  prev: LiquidatableSince,
  now: { marketId: string; user: string }[],
  block: number,
): LiquidatableSince {
  const next: LiquidatableSince = {};
  for (const x of now) {
    const k = `${lc(x.marketId)}:${lc(x.user)}`;
    next[k] = prev[k] ?? block;
  }
  return next;
}

export function liquidatableTooLong(since: LiquidatableSince, block: number, maxBlocks: number): Alert[] {
  return Object.entries(since)
    .filter(([, first]) => block - first > maxBlocks)
    .map(([k, first]) => {
      const [marketId, user] = k.split(":") as [string, string];
      return {
        key: `stuck-liq:${k}`,
        rule: "liquidatable-too-long",
        severity: "warning" as const,
        message: `${user} liquidatable in ${marketId} for ${block - first} blocks (limit ${maxBlocks})`,
        data: { marketId, user, since: first, blocks: block - first },
      };
    });
}

// ---------------------------------------------------------------- solvency
export type Solvency = {
  vault: string;
  usdcBalance: bigint;
  /** Sum over known users of max(equity, 0): balance plus unrealized PnL at the mark. A profit one
   * side realized is paid from the other side's collateral, still in the vault; negative equity
   * is bad debt the vault cannot collect, so it counts as zero. */
  userEquity: bigint;
  externalCredits: bigint;
  insurance: bigint;
  makerEscrow: bigint;
};

/** What the vault owes in USDC it must hold: users' equity not backed on another chain, plus the funds it escrows. */
export function owedUsdc(s: Solvency): bigint {
  return s.userEquity - s.externalCredits + s.insurance + s.makerEscrow;
}

export function vaultUnderfunded(s: Solvency): Alert[] {
  const owed = owedUsdc(s);
  if (s.usdcBalance >= owed) return [];
  return [
    {
      key: `underfunded:${lc(s.vault)}`,
      rule: "vault-underfunded",
      severity: "critical",
      message: `vault ${s.vault} holds ${s.usdcBalance} USDC (6 dp) but owes ${owed}: short by ${owed - s.usdcBalance}`,
      data: {
        vault: s.vault,
        usdcBalance: s.usdcBalance.toString(),
        owed: owed.toString(),
        short: (owed - s.usdcBalance).toString(),
      },
    },
  ];
}

// ---------------------------------------------------------------- upgrades and pauses
export type AdminEvent = {
  contract: string;
  name: string; // Upgraded | Paused | Unpaused | DiamondCut | VaultSet | AdminChanged | ...
  block: number;
  txHash: string;
  detail?: string;
};

/** Paused contracts raise a standing alert until unpaused; each upgrade or cut is a one-off alert. */
export function adminChanges(
  events: AdminEvent[],
  paused: Record<string, boolean>,
): { alerts: Alert[]; paused: Record<string, boolean> } {
  const next = { ...paused };
  const alerts: Alert[] = [];
  for (const e of events) {
    if (e.name === "Paused") next[lc(e.contract)] = true;
    else if (e.name === "Unpaused") delete next[lc(e.contract)];
    else
      alerts.push({
        key: `admin:${lc(e.txHash)}:${lc(e.contract)}:${e.name}`,
        rule: "upgrade",
        severity: "warning",
        message: `${e.name} on ${e.contract} at block ${e.block}${e.detail ? `: ${e.detail}` : ""}`,
        data: { contract: e.contract, event: e.name, block: e.block, txHash: e.txHash },
      });
  }
  for (const c of Object.keys(next))
    alerts.push({
      key: `paused:${c}`,
      rule: "paused",
      severity: "critical",
      message: `${c} is paused`,
      data: { contract: c },
    });
  return { alerts, paused: next };
}

// ---------------------------------------------------------------- liquidation gas
export type LiquidationTx = { txHash: string; book: string; gasUsed: bigint; block: number };

export function liquidationOverBudget(txs: LiquidationTx[], budget: bigint): Alert[] {
  return txs
    .filter((t) => t.gasUsed > budget)
    .map((t) => ({
      key: `liq-gas:${lc(t.txHash)}`,
      rule: "liquidation-gas",
      severity: "warning" as const,
      message: `liquidation tx ${t.txHash} on ${t.book} used ${t.gasUsed} gas, above the ${budget} budget`,
      data: {
        txHash: t.txHash,
        book: t.book,
        gasUsed: t.gasUsed.toString(),
        budget: budget.toString(),
        block: t.block,
      },
    }));
}

// ---------------------------------------------------------------- diff
/** Which alerts to raise and which to clear, from the previous and the current active sets. */
export function diffAlerts(prev: Alert[], now: Alert[]): { raised: Alert[]; cleared: Alert[] } {
  const before = new Set(prev.map((a) => a.key));
  const after = new Set(now.map((a) => a.key));
  return { raised: now.filter((a) => !before.has(a.key)), cleared: prev.filter((a) => !after.has(a.key)) };
}
