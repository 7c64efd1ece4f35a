// Plain-text tables for people; commands print these unless --json.

export function formatTable(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return "(none)\n";
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown): string =>
    v === undefined || v === null ? "" : typeof v === "bigint" ? v.toString() : String(v);
  const widths = cols.map((c) => Math.min(80, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const clip = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + "…" : s.padEnd(w));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => clip(v, widths[i]!))
      .join("  ")
      .trimEnd();
  return (
    [line(cols), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join(
      "\n",
    ) + "\n"
  );
}

/** JSON with bigint as decimal strings. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x), 2) + "\n";
}
