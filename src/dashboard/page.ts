// The dashboard page: one static HTML document with a small script that polls /api/state and
// renders tables. No framework, no build step. Drift (wiring, roles, book vault pointers) is
// marked with the `drift` class and shown in red.
export const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dexetra ops dashboard</title>
<style>
 body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222;background:#fafafa}
 h1{font-size:1.3rem} h2{font-size:1.05rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
 table{border-collapse:collapse;margin:.4rem 0} td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
 th{background:#eee} code{font-size:12px}
 .drift,.drift td{background:#fdd;color:#900;font-weight:600}
 .ok{background:#e6f6e6} .missing{background:#fdd;color:#900;font-weight:600} .unexpected{background:#fdd;color:#900;font-weight:600}
 .bad{color:#900;font-weight:600} .good{color:#070} #status{color:#666}
</style></head><body>
<h1>Dexetra · <span id="network"></span> <span id="status">loading…</span></h1>
<div id="summary"></div>
<h2>Contracts (from the deployment record)</h2><table id="contracts"></table>
<h2>Wiring drift</h2><div id="driftSummary"></div><table id="drift"></table>
<h2>Role matrix (CoreVault)</h2><table id="roles"></table>
<h2>Markets</h2><table id="markets"></table>
<h2>Accounts at risk</h2><table id="atRisk"></table>
<h2>Keeper and monitor</h2><table id="services"></table>
<h2>Runbooks</h2><table id="runbooks"></table>
<div id="errors" class="bad"></div>
<script>
const esc = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
const usd = (v) => v === "" || v == null ? "" : (Number(BigInt(v)) / 1e6).toLocaleString(undefined, {maximumFractionDigits: 6});
const size = (v) => v === "" || v == null ? "" : (Number(BigInt(v)) / 1e18).toLocaleString(undefined, {maximumFractionDigits: 6});
function table(id, head, rows) {
  const el = document.getElementById(id);
  el.innerHTML = "<tr>" + head.map((h) => "<th>" + esc(h) + "</th>").join("") + "</tr>" +
    rows.map((r) => "<tr" + (r.cls ? ' class="' + r.cls + '" data-drift="true"' : "") + ">" +
      r.cells.map((c) => typeof c === "object" && c !== null ? '<td class="' + esc(c.cls) + '">' + c.html + "</td>" : "<td>" + esc(c) + "</td>").join("") + "</tr>").join("");
}
function render(s) {
  document.getElementById("network").textContent = s.network + " (chain " + s.chainId + ", block " + s.head + ")";
  document.getElementById("status").textContent = "updated " + new Date().toLocaleTimeString();
  table("contracts", ["name", "address", "implementation"], s.contracts.map((c) => ({ cells: [c.name, {html: "<code>" + esc(c.address) + "</code>"}, {html: "<code>" + esc(c.implementation) + "</code>"}] })));
  const crit = s.drift.filter((d) => d.critical).length;
  document.getElementById("driftSummary").innerHTML = s.drift.length === 0
    ? '<span class="good">no drift (' + s.wiringChecked + " checks)</span>"
    : '<span class="bad">' + s.drift.length + " drift item(s), " + crit + " critical</span>";
  table("drift", ["check", "expected", "actual", "critical"], s.drift.map((d) => ({ cls: "drift", cells: [d.what, d.expected, d.actual, d.critical ? "yes" : "no"] })));
  const roles = [...new Set(s.roles.map((r) => r.role))];
  const holders = [...new Set(s.roles.map((r) => r.holder))];
  table("roles", ["holder", ...roles], holders.map((h) => {
    const cells = s.roles.filter((r) => r.holder === h);
    const bad = cells.some((r) => r.state !== "ok");
    return { cls: bad ? "drift" : "", cells: [{ html: "<code>" + esc(h) + "</code> " + esc(cells[0]?.label) }, ...roles.map((role) => {
      const c = cells.find((r) => r.role === role);
      return c ? { cls: c.state, html: c.state === "ok" ? "✓" : esc(c.state) } : "";
    })] };
  }));
  const groups = (g) => g.proven + "/" + g.total + " proven" + (g.read < g.total ? " (first " + g.read + " read)" : "") + (g.crossEntries ? ", " + g.crossEntries + " cross-margin" : "");
  table("markets", ["market", "order book", "book → vault", "best bid", "best ask", "mark", "bids (top 5)", "asks (top 5)", "users", "risk groups", "keeper rewards owed"], s.markets.map((m) => ({
    cls: m.vaultDrift ? "drift" : "",
    cells: [m.symbol || m.marketId.slice(0, 10), {html: "<code>" + esc(m.orderBook) + "</code>"}, {html: "<code>" + esc(m.bookVault) + "</code>" + (m.vaultDrift ? " (not the current vault)" : "")},
      usd(m.bestBid), usd(m.bestAsk), usd(m.mark),
      {html: m.bids.map((l) => usd(l.price) + " × " + size(l.size)).join("<br>")}, {html: m.asks.map((l) => usd(l.price) + " × " + size(l.size)).join("<br>")}, m.users, groups(m.riskGroups), usd(m.keeperRewardsOwed)],
  })));
  table("atRisk", ["market", "user", "equity at the vault mark (USDC)", "maintenance (USDC)", "size"], s.atRisk.map((a) => ({ cells: [a.marketId.slice(0, 10), {html: "<code>" + esc(a.user) + "</code>"}, usd(a.equity), usd(a.maintenance), size(a.size)] })));
  table("services", ["service", "url", "healthy", "detail"], s.services.map((v) => ({ cls: v.ok ? "" : "drift", cells: [v.name, v.url, v.ok ? "yes" : "no", {html: "<code>" + esc(JSON.stringify(v.detail).slice(0, 400)) + "</code>"}] })));
  table("runbooks", ["runbook", "state", "steps done", "tx sent", "started"], s.runbooks.map((r) => ({ cells: [r.runbook, r.state, r.stepsDone, r.txSent, r.started] })));
  document.getElementById("errors").textContent = s.errors.join("\\n");
}
async function refresh() {
  try {
    const res = await fetch("/api/state");
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || res.statusText);
    render(body);
  } catch (e) { document.getElementById("status").textContent = "error: " + e.message; }
}
refresh(); setInterval(refresh, Number(new URLSearchParams(location.search).get("refreshMs") || 3000));
</script></body></html>`;
