import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  adminChanges,
  applyRoleEvent,
  booksOnWrongVault,
  diffAlerts,
  liquidatableTooLong,
  liquidationOverBudget,
  owedUsdc,
  trackLiquidatable,
  unexpectedRoleHolders,
  vaultUnderfunded,
} from "../../../src/monitor/rules.ts";

const V = "0x000000000000000000000000000000000000000A";
const ROLE = "0x" + "11".repeat(32);

describe("monitor rules", () => {
  it("test_unexpectedRoleHolders_flagsOnlyHoldersOutsideSpec", () => {
    const spec = [{ contract: V, role: ROLE, account: "0xBook1" }];
    const held = [
      { contract: V.toLowerCase(), role: ROLE, account: "0xbook1" },
      { contract: V, role: ROLE, account: "0xEvil" },
    ];
    const a = unexpectedRoleHolders(held, spec, { [ROLE]: "ORDERBOOK_ROLE" });
    assert.equal(a.length, 1);
    assert.equal(a[0]!.data.account, "0xEvil");
    assert.equal(a[0]!.data.role, "ORDERBOOK_ROLE");
    assert.equal(a[0]!.severity, "critical");
  });

  it("test_applyRoleEvent_grantThenRevoke", () => {
    let held = applyRoleEvent([], { contract: V, role: ROLE, account: "0xA", granted: true });
    held = applyRoleEvent(held, { contract: V, role: ROLE, account: "0xa", granted: true });
    assert.equal(held.length, 1, "granting twice is one holder");
    held = applyRoleEvent(held, { contract: V.toLowerCase(), role: ROLE, account: "0xA", granted: false });
    assert.deepEqual(held, []);
  });

  it("test_booksOnWrongVault_onlyStaleBooks", () => {
    const a = booksOnWrongVault(
      [
        { book: "0xB1", marketId: "0x01", vault: V.toLowerCase() },
        { book: "0xB2", marketId: "0x02", vault: "0xOld" },
      ],
      V,
    );
    assert.deepEqual(
      a.map((x) => x.key),
      ["book-vault:0xb2"],
    );
  });

  it("test_liquidatableTooLong_afterKBlocksAndClearedWhenHealthy", () => {
    let since = trackLiquidatable({}, [{ marketId: "0xM", user: "0xU" }], 100);
    since = trackLiquidatable(since, [{ marketId: "0xm", user: "0xu" }], 110);
    assert.equal(liquidatableTooLong(since, 110, 10).length, 0, "10 blocks is not more than K=10");
    assert.equal(liquidatableTooLong(since, 111, 10).length, 1);
    since = trackLiquidatable(since, [], 112);
    assert.equal(liquidatableTooLong(since, 200, 10).length, 0, "healthy again: forgotten");
  });

  it("test_vaultUnderfunded_comparesHoldingsWithWhatIsOwed", () => {
    const base = {
      vault: V,
      userEquity: 1_000_000000n,
      externalCredits: 200_000000n,
      insurance: 50_000000n,
      makerEscrow: 1_000000n,
    };
    assert.equal(owedUsdc({ ...base, usdcBalance: 0n }), 851_000000n);
    assert.deepEqual(vaultUnderfunded({ ...base, usdcBalance: 851_000000n }), []);
    const a = vaultUnderfunded({ ...base, usdcBalance: 850_999999n });
    assert.equal(a.length, 1);
    assert.equal(a[0]!.data.short, "1");
  });

  it("test_adminChanges_pauseStandsUntilUnpauseUpgradeIsOneOff", () => {
    const ev = (name: string, block: number) => ({ contract: V, name, block, txHash: `0x${block}` });
    let r = adminChanges([ev("Paused", 1), ev("Upgraded", 2)], {});
    assert.deepEqual(r.alerts.map((a) => a.rule).sort(), ["paused", "upgrade"]);
    r = adminChanges([], r.paused);
    assert.deepEqual(
      r.alerts.map((a) => a.rule),
      ["paused"],
      "still paused",
    );
    r = adminChanges([ev("Unpaused", 3)], r.paused);
    assert.deepEqual(r.alerts, []);
  });

  it("test_liquidationOverBudget_strictlyAbove", () => {
    const txs = [
      { txHash: "0x1", book: "0xB", gasUsed: 1_500_000n, block: 1 },
      { txHash: "0x2", book: "0xB", gasUsed: 1_500_001n, block: 2 },
    ];
    assert.deepEqual(
      liquidationOverBudget(txs, 1_500_000n).map((a) => a.data.txHash),
      ["0x2"],
    );
  });

  it("test_diffAlerts_raisesNewClearsGone", () => {
    const a = (key: string) => ({ key, rule: "r", severity: "info" as const, message: "", data: {} });
    const d = diffAlerts([a("x"), a("y")], [a("y"), a("z")]);
    assert.deepEqual(
      d.raised.map((x) => x.key),
      ["z"],
    );
    assert.deepEqual(
      d.cleared.map((x) => x.key),
      ["x"],
    );
  });
});
