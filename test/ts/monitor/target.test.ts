// The monitor's role spec covers what the deploy runbook leaves on the periphery: the factory's
// MARKET_CREATOR_ROLE with the admin and the hub's OPERATOR_ROLE with its operator. Anyone else
// holding those roles is still an alert.
import { test } from "node:test";
import assert from "node:assert/strict";
import { keccak256, stringToHex } from "viem";
import { DeploymentRecordSchema } from "../../../src/config/schema.ts";
import { targetFromRecord } from "../../../src/monitor/target.ts";
import { unexpectedRoleHolders } from "../../../src/monitor/rules.ts";

const A = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;
const admin = A(0xa1);
const operator = A(0x0b);
const stranger = A(0x5e);
const vault = A(0x100);
const factory = A(0x200);
const hub = A(0x300);

function record(withHubOperator: boolean) {
  return DeploymentRecordSchema.parse({
    schemaVersion: 1,
    network: "hub",
    chainId: 999,
    updatedAt: "2026-11-25T00:00:00Z",
    contracts: {
      CoreVault: { artifact: "CoreVault", address: vault },
      FuturesMarketFactory: { artifact: "FuturesMarketFactory", address: factory },
      CollateralHub: { artifact: "CollateralHub", address: hub },
    },
    operators: { admin: [admin], pauser: [admin], ...(withHubOperator ? { hubOperator: operator } : {}) },
  });
}

const role = (name: string) => keccak256(stringToHex(name));

test("deploy's periphery roles are in the spec; a stranger holding them is not", () => {
  const t = targetFromRecord(record(true), 200_000n);
  const held = [
    { contract: factory, role: role("MARKET_CREATOR_ROLE"), account: admin },
    { contract: hub, role: role("OPERATOR_ROLE"), account: operator },
    { contract: factory, role: role("MARKET_CREATOR_ROLE"), account: stranger },
    { contract: hub, role: role("OPERATOR_ROLE"), account: admin },
  ];
  const alerts = unexpectedRoleHolders(held, t.roleSpec, t.roleNames);
  assert.deepEqual(
    alerts.map((a) => [a.data.contract, a.data.role, a.data.account]),
    [
      [factory, "MARKET_CREATOR_ROLE", stranger],
      [hub, "OPERATOR_ROLE", admin],
    ],
  );
});

test("without a recorded hub operator nobody is expected to hold the hub's OPERATOR_ROLE", () => {
  const t = targetFromRecord(record(false), 200_000n);
  const alerts = unexpectedRoleHolders([{ contract: hub, role: role("OPERATOR_ROLE"), account: operator }], t.roleSpec);
  assert.equal(alerts.length, 1);
});
