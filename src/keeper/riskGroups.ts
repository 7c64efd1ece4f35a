// The vault's safe-price summaries (RiskGroupLib) as the ops tools read them: the market's user
// index in groups of RISK_GROUP entries; a group proven healthy at a mark is skipped by a poke
// except for its flagged cross-margin entries, the other groups are screened exactly.

/** Index entries per summary (RiskGroupLib.GROUP). */
export const RISK_GROUP = 20;

/** `getRiskGroup(marketId, group, mark)`: valid, lo, hi, k, crossMask, provenAtMark. */
export type RiskGroupRow = readonly [boolean, bigint, bigint, bigint, bigint, boolean];

export type RiskGroupStats = {
  /** Groups proven healthy at the mark. */
  proven: number;
  /** Entries of proven groups held by cross-margin accounts: the poke checks those exactly. */
  crossEntries: number;
  /** Indices of the groups read that a poke would screen exactly (unreadable ones included). */
  unproven: number[];
};

export function groupCount(users: number): number {
  return Math.ceil(users / RISK_GROUP);
}

export function riskGroupStats(rows: readonly (RiskGroupRow | undefined)[]): RiskGroupStats {
  const stats: RiskGroupStats = { proven: 0, crossEntries: 0, unproven: [] };
  rows.forEach((row, g) => {
    if (!row?.[5]) {
      stats.unproven.push(g);
      return;
    }
    stats.proven += 1;
    for (let x = row[4]; x > 0n; x >>= 1n) stats.crossEntries += Number(x & 1n);
  });
  return stats;
}
