// The spec's "Contract deployment checklist" as one journaled runbook: preflight, pause, deploy and
// configure the new vault (copying the old vault's risk parameters), grant every role, register
// every book and market, point the CollateralHub and the factory at it, add OBVaultAdminFacet to
// books that lack it, setVault on every book, update the record and config, validate, hand the
// admin role to the record's admins. Every step checks chain state first.
import { encodeFunctionData, getAddress, toFunctionSelector, zeroAddress } from "viem";
import type { AbiFunction, Address, Hex } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import {
  SET_VAULT_SELECTOR,
  accessControlAbi,
  diamondCutAbi,
  erc20Abi,
  factoryAbi,
  hubAbi,
  orderBookAbi,
  roleId,
  vaultWiringAbi,
} from "../chain/abis.ts";
import type { RiskParams } from "../chain/abis.ts";
import { DexetraError, ErrorCodes } from "../config/errors.ts";
import type { Runbook, Step, StepContext } from "./types.ts";
import { callStep, deployStep, grantStep, hasCode, out } from "./steps.ts";

export type BookInfo = {
  marketId: Hex;
  orderBook: Address;
  symbol: string;
  initialMarginBps: bigint;
  hasVaultAdmin: boolean;
};

export type RedeployInput = {
  oldVault: Address;
  usdc: Address;
  factory?: Address;
  hub?: Address;
  hubOperator?: Address;
  books: BookInfo[];
  /** Final DEFAULT_ADMIN_ROLE holders of the new vault (a Safe in production). */
  admins: Address[];
  pausers: Address[];
  settlementOperators: Address[];
  risk: RiskParams;
  /** Reuse a deployed OBVaultAdminFacet (from the record) instead of deploying one. */
  vaultAdminFacet?: Address;
  /** Default IM bps a fresh vault gives a market; markets that differ get setMarketRiskParams. */
  defaultImBps?: bigint;
  minSignerBalance: bigint;
  /** cutover: re-point every book at the new vault; keep: dual-vault, books stay on the old vault. */
  books_: "cutover" | "keep";
  /** Local steps supplied by the command: record/config update and validation. */
  recordStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
  validateStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
};

const newVault = out("newVault");

async function read<T>(
  ctx: StepContext,
  address: Address,
  abi: readonly unknown[],
  functionName: string,
  args: readonly unknown[] = [],
): Promise<T> {
  return (await ctx.client.readContract({ address, abi: abi as never, functionName, args } as never)) as T;
}

async function markOf(ctx: StepContext, vault: Address, marketId: Hex): Promise<bigint> {
  return read<bigint>(ctx, vault, vaultWiringAbi, "getMarkPrice", [marketId]);
}

export function riskOf(ctx: StepContext, vault: Address): Promise<RiskParams> {
  return read<RiskParams>(ctx, vault, vaultWiringAbi, "getRiskParams");
}

function preflight(inp: RedeployInput): Step {
  return {
    kind: "local",
    id: "preflight",
    reason: "signer roles and balance, chain id, config complete, USDC has 6 decimals, books owned by the admin",
    always: true,
    run: async (ctx) => {
      const problems: string[] = [];
      const c = ctx.client;
      const decimals = await read<number>(ctx, inp.usdc, erc20Abi, "decimals").catch(() => -1);
      if (decimals !== 6) problems.push(`USDC ${inp.usdc} reports ${decimals} decimals, must be 6`);
      const bal = await c.getBalance({ address: ctx.signer });
      if (bal < inp.minSignerBalance)
        problems.push(`signer ${ctx.signer} holds ${bal} wei, needs at least ${inp.minSignerBalance}`);
      if (!(await hasCode(ctx, inp.oldVault))) problems.push(`old vault ${inp.oldVault} has no code`);
      const has = (role: Parameters<typeof roleId>[0], a: Address) =>
        read<boolean>(ctx, inp.oldVault, accessControlAbi, "hasRole", [roleId(role), a]).catch(() => false);
      const paused = await read<boolean>(ctx, inp.oldVault, vaultWiringAbi, "paused").catch(() => false);
      if (!paused && !(await has("PAUSER_ROLE", ctx.admin)))
        problems.push(`admin ${ctx.admin} lacks PAUSER_ROLE on the old vault`);
      if (inp.admins.length === 0) problems.push("record lists no admin for the new vault (operators.admin)");
      for (const b of inp.books) {
        if (!(await hasCode(ctx, b.orderBook))) {
          problems.push(`book ${b.orderBook} has no code`);
          continue;
        }
        const owner = await read<Address>(ctx, b.orderBook, orderBookAbi, "owner").catch(() => zeroAddress);
        if (getAddress(owner) !== getAddress(ctx.admin))
          problems.push(`book ${b.orderBook} is owned by ${owner}, not the admin ${ctx.admin}`);
      }
      if (inp.books_ === "cutover") {
        for (const b of inp.books) {
          const n = await read<bigint>(ctx, inp.oldVault, vaultWiringAbi, "getUsersWithPositionsInMarketCount", [
            b.marketId,
          ]).catch(() => 0n);
          const o = await read<bigint>(ctx, b.orderBook, orderBookAbi, "getActiveOrdersCount").catch(() => 0n);
          if (n > 0n || o > 0n) {
            problems.push(
              `book ${b.symbol || b.orderBook} has ${n} open position(s) and ${o} resting order(s) on the old vault: a cutover would orphan them (settle/close first, or use --books keep for a dual-vault period)`,
            );
          }
        }
      }
      if (inp.hub && !(await hasCode(ctx, inp.hub))) problems.push(`CollateralHub ${inp.hub} has no code`);
      if (inp.factory && !(await hasCode(ctx, inp.factory))) problems.push(`factory ${inp.factory} has no code`);
      if (problems.length) {
        throw new DexetraError(ErrorCodes.PREFLIGHT, `preflight failed:\n  - ${problems.join("\n  - ")}`);
      }
      ctx.log(`  preflight ok: ${inp.books.length} book(s), USDC 6 decimals, signer balance ${bal}`);
    },
  };
}

export function redeployRunbook(inp: RedeployInput): Runbook {
  const steps: Step[] = [preflight(inp)];
  const r = inp.risk;
  steps.push(
    callStep({
      id: "pause:old-vault",
      reason: "freeze trading, withdrawals and credits on the old vault for the window",
      sender: "admin",
      to: inp.oldVault,
      abi: vaultWiringAbi,
      functionName: "pause",
      args: [],
      isDone: (ctx) => read<boolean>(ctx, inp.oldVault, vaultWiringAbi, "paused"),
    }),
    deployStep({
      id: "deploy:VaultRiskModule",
      artifact: "VaultRiskModule",
      output: "riskModule",
      reason: "delegatecalled risk module of the new vault",
    }),
    deployStep({
      id: "deploy:CoreVault-impl",
      artifact: "CoreVault",
      output: "vaultImpl",
      reason: "new CoreVault implementation",
      args: (ctx) => [out("riskModule")(ctx)],
    }),
    deployStep({
      id: "deploy:CoreVault-proxy",
      artifact: "CoreVaultProxy",
      output: "newVault",
      reason: "new CoreVault (UUPS proxy) initialized with USDC and the deployer as interim admin",
      args: (ctx) => [
        out("vaultImpl")(ctx),
        encodeFunctionData({ abi: vaultWiringAbi, functionName: "initialize", args: [inp.usdc, ctx.signer] }),
      ],
    }),
    callStep({
      id: "config:mmr",
      reason: `maintenance margin = ${r.mmrOfImrBps} bps of initial margin (copied from the old vault)`,
      sender: "signer",
      to: newVault,
      abi: vaultWiringAbi,
      functionName: "setMmrParams",
      args: [r.mmrOfImrBps],
      isDone: async (ctx) => (await riskOf(ctx, newVault(ctx))).mmrOfImrBps === r.mmrOfImrBps,
    }),
    callStep({
      id: "config:liquidation",
      reason: "liquidation penalty and its split (copied from the old vault)",
      sender: "signer",
      to: newVault,
      abi: vaultWiringAbi,
      functionName: "setLiquidationParams",
      args: [r.penaltyBps, r.insuranceShareBps, r.liquidatorShareBps],
      isDone: async (ctx) => {
        const n = await riskOf(ctx, newVault(ctx));
        return (
          n.penaltyBps === r.penaltyBps &&
          n.insuranceShareBps === r.insuranceShareBps &&
          n.liquidatorShareBps === r.liquidatorShareBps
        );
      },
    }),
    callStep({
      id: "config:fees",
      reason: "protocol fee recipient and share (copied from the old vault)",
      sender: "signer",
      to: newVault,
      abi: vaultWiringAbi,
      functionName: "setFeeParams",
      args: [r.protocolFeeRecipient, r.protocolShareBps],
      isDone: async (ctx) => {
        const n = await riskOf(ctx, newVault(ctx));
        return (
          getAddress(n.protocolFeeRecipient) === getAddress(r.protocolFeeRecipient) &&
          n.protocolShareBps === r.protocolShareBps
        );
      },
    }),
    callStep({
      id: "config:max-mark-move",
      reason: "bound on each mark update (copied from the old vault)",
      sender: "signer",
      to: newVault,
      abi: vaultWiringAbi,
      functionName: "setMaxMarkMove",
      args: [r.maxMarkMoveBps],
      isDone: async (ctx) => (await riskOf(ctx, newVault(ctx))).maxMarkMoveBps === r.maxMarkMoveBps,
    }),
  );
  const grant = (role: Parameters<typeof roleId>[0], a: Address, why: string) =>
    steps.push(grantStep({ vault: newVault, role, account: a, reason: why, sender: "signer" }));
  if (inp.factory) {
    grant("FACTORY_ROLE", inp.factory, "the factory registers new markets");
    grant("SETTLEMENT_ROLE", inp.factory, "the factory settles markets");
  }
  for (const op of inp.settlementOperators) grant("SETTLEMENT_ROLE", op, "settlement operator");
  if (inp.hub) grant("EXTERNAL_CREDITOR_ROLE", inp.hub, "CollateralHub credits cross-chain deposits");
  for (const p of inp.pausers) grant("PAUSER_ROLE", p, "pauser");

  const moving = inp.books_ === "cutover" ? inp.books : [];
  for (const b of moving) {
    steps.push(
      callStep({
        id: `register:${b.orderBook}`,
        reason: `register book ${b.symbol || b.marketId} (grants ORDERBOOK_ROLE)`,
        sender: "signer",
        to: newVault,
        abi: vaultWiringAbi,
        functionName: "registerOrderBook",
        args: [b.orderBook],
        isDone: async (ctx) =>
          (await read<boolean>(ctx, newVault(ctx), vaultWiringAbi, "isOrderBookRegistered", [b.orderBook])) &&
          (await read<boolean>(ctx, newVault(ctx), accessControlAbi, "hasRole", [
            roleId("ORDERBOOK_ROLE"),
            b.orderBook,
          ])),
      }),
      grantStep({
        vault: newVault,
        role: "SETTLEMENT_ROLE",
        account: b.orderBook,
        reason: "books push marks and settle",
        sender: "signer",
      }),
      callStep({
        id: `assign:${b.marketId}`,
        reason: `market ${b.symbol || b.marketId} → book ${b.orderBook}`,
        sender: "signer",
        to: newVault,
        abi: vaultWiringAbi,
        functionName: "assignMarketToOrderBook",
        args: [b.marketId, b.orderBook],
        isDone: async (ctx) =>
          getAddress(await read<Address>(ctx, newVault(ctx), vaultWiringAbi, "marketToOrderBook", [b.marketId])) ===
          b.orderBook,
      }),
    );
    if (inp.defaultImBps !== undefined && b.initialMarginBps !== inp.defaultImBps) {
      steps.push(
        callStep({
          id: `risk:${b.marketId}`,
          reason: `market initial margin ${b.initialMarginBps} bps (copied from the old vault)`,
          sender: "signer",
          to: newVault,
          abi: vaultWiringAbi,
          functionName: "setMarketRiskParams",
          args: [b.marketId, b.initialMarginBps],
          isDone: async (ctx) =>
            (
              await read<{ initialMarginBps: bigint }>(ctx, newVault(ctx), vaultWiringAbi, "getMarketInfo", [
                b.marketId,
              ])
            ).initialMarginBps === b.initialMarginBps,
        }),
      );
    }
  }

  // Carry each market's mark over from the (paused, so frozen) old vault: the new vault's risk
  // checks must not start from a zero mark. The deployer holds SETTLEMENT_ROLE only for this.
  if (moving.length) {
    steps.push({
      kind: "tx",
      id: "grant:SETTLEMENT_ROLE:deployer",
      reason: "temporary: the deployer copies the marks",
      sender: "signer",
      build: (ctx) => ({
        kind: "call",
        to: newVault(ctx),
        abi: accessControlAbi,
        functionName: "grantRole",
        args: [roleId("SETTLEMENT_ROLE"), ctx.signer],
      }),
      // Done when held, or when every mark is already copied (the revoke may have run).
      isDone: async (ctx) =>
        (await read<boolean>(ctx, newVault(ctx), accessControlAbi, "hasRole", [
          roleId("SETTLEMENT_ROLE"),
          ctx.signer,
        ])) ||
        (
          await Promise.all(
            moving.map(
              async (b) =>
                (await markOf(ctx, newVault(ctx), b.marketId)) === (await markOf(ctx, inp.oldVault, b.marketId)),
            ),
          )
        ).every(Boolean),
    });
    for (const b of moving) {
      steps.push({
        kind: "tx",
        id: `mark:${b.marketId}`,
        reason: `copy ${b.symbol || b.marketId}'s mark from the old vault`,
        sender: "signer",
        build: async (ctx) => ({
          kind: "call",
          to: newVault(ctx),
          abi: vaultWiringAbi,
          functionName: "updateMarkPrice",
          args: [b.marketId, await markOf(ctx, inp.oldVault, b.marketId)],
        }),
        isDone: async (ctx) =>
          (await markOf(ctx, newVault(ctx), b.marketId)) === (await markOf(ctx, inp.oldVault, b.marketId)),
      });
    }
    steps.push(
      callStep({
        id: "revoke:SETTLEMENT_ROLE:deployer",
        reason: "the deployer gives the temporary settlement role back",
        sender: "signer",
        to: newVault,
        abi: accessControlAbi,
        functionName: "revokeRole",
        args: (ctx) => [roleId("SETTLEMENT_ROLE"), ctx.signer],
        isDone: async (ctx) =>
          inp.settlementOperators.some((o) => getAddress(o) === getAddress(ctx.signer)) ||
          !(await read<boolean>(ctx, newVault(ctx), accessControlAbi, "hasRole", [
            roleId("SETTLEMENT_ROLE"),
            ctx.signer,
          ])),
      }),
    );
  }

  if (inp.hub) {
    const hub = inp.hub;
    const op = inp.hubOperator ?? zeroAddress;
    steps.push(
      callStep({
        id: "hub:setCoreVaultParams",
        reason: "CollateralHub credits the new vault (spokes unchanged)",
        sender: "admin",
        to: hub,
        abi: hubAbi,
        functionName: "setCoreVaultParams",
        args: (ctx) => [newVault(ctx), op],
        isDone: async (ctx) =>
          getAddress(await read<Address>(ctx, hub, hubAbi, "coreVault")) === newVault(ctx) &&
          getAddress(await read<Address>(ctx, hub, hubAbi, "operator")) === getAddress(op),
      }),
    );
  }
  if (inp.factory) {
    const f = inp.factory;
    steps.push(
      callStep({
        id: "factory:setVault",
        reason: "new markets are created on the new vault",
        sender: "admin",
        to: f,
        abi: factoryAbi,
        functionName: "setVault",
        args: (ctx) => [newVault(ctx)],
        isDone: async (ctx) => getAddress(await read<Address>(ctx, f, factoryAbi, "vault")) === newVault(ctx),
      }),
    );
  }

  // Order-book alignment (CRITICAL): add the admin facet where missing, then re-point every book.
  const lacking = moving.filter((b) => !b.hasVaultAdmin);
  if (lacking.length) {
    steps.push(
      deployStep({
        id: "deploy:OBVaultAdminFacet",
        artifact: "OBVaultAdminFacet",
        output: "vaultAdminFacet",
        reason: `admin facet with setVault for ${lacking.length} book(s) that lack it`,
        existing: async () => inp.vaultAdminFacet,
      }),
    );
    const selectors = (readArtifact("OBVaultAdminFacet").abi.filter((i) => i.type === "function") as AbiFunction[]).map(
      (f) => toFunctionSelector(f),
    );
    for (const b of lacking) {
      steps.push(
        callStep({
          id: `cut:${b.orderBook}`,
          reason: `diamond cut: add OBVaultAdminFacet (${selectors.length} selectors) to ${b.symbol || b.orderBook}`,
          sender: "admin",
          to: b.orderBook,
          abi: diamondCutAbi,
          functionName: "diamondCut",
          args: (ctx) => [
            [{ facetAddress: out("vaultAdminFacet")(ctx), action: 0, functionSelectors: selectors }],
            zeroAddress,
            "0x",
          ],
          isDone: async (ctx) =>
            getAddress(await read<Address>(ctx, b.orderBook, orderBookAbi, "facetAddress", [SET_VAULT_SELECTOR])) !==
            zeroAddress,
        }),
      );
    }
  }
  for (const b of moving) {
    steps.push(
      callStep({
        id: `setVault:${b.orderBook}`,
        reason: `book ${b.symbol || b.orderBook} calls the new vault`,
        sender: "admin",
        to: b.orderBook,
        abi: orderBookAbi,
        functionName: "setVault",
        args: (ctx) => [newVault(ctx)],
        isDone: async (ctx) =>
          getAddress((await read<readonly [Address]>(ctx, b.orderBook, orderBookAbi, "marketStatic"))[0]) ===
          newVault(ctx),
      }),
    );
  }

  // Hand the new vault to its real admins before validation so validation sees the final roles.
  for (const a of inp.admins) {
    steps.push(
      grantStep({
        vault: newVault,
        role: "DEFAULT_ADMIN_ROLE",
        account: a,
        reason: "final admin of the new vault",
        sender: "signer",
        prefix: "handover",
      }),
    );
  }
  steps.push(
    callStep({
      id: "renounce:deployer-admin",
      reason: "the deployer gives up its interim admin role on the new vault",
      sender: "signer",
      to: newVault,
      abi: accessControlAbi,
      functionName: "revokeRole",
      args: (ctx) => [roleId("DEFAULT_ADMIN_ROLE"), ctx.signer],
      isDone: async (ctx) =>
        inp.admins.some((a) => getAddress(a) === getAddress(ctx.signer)) ||
        !(await read<boolean>(ctx, newVault(ctx), accessControlAbi, "hasRole", [
          roleId("DEFAULT_ADMIN_ROLE"),
          ctx.signer,
        ])),
    }),
  );
  if (inp.books_ === "keep") {
    steps.push(
      callStep({
        id: "unpause:old-vault",
        reason: "dual-vault: the window ends, legacy markets keep trading on the old vault, withdrawals reopen",
        sender: "admin",
        to: inp.oldVault,
        abi: vaultWiringAbi,
        functionName: "unpause",
        args: [],
        // Done once this run paused the vault and it is no longer paused.
        isDone: async (ctx) =>
          ctx.stepDone("pause:old-vault") && !(await read<boolean>(ctx, inp.oldVault, vaultWiringAbi, "paused")),
      }),
    );
  }
  steps.push({
    kind: "local",
    id: "record",
    reason: "write the new vault into deployments/<network>.json and regenerate the config",
    run: inp.recordStep,
  });
  steps.push({
    kind: "local",
    id: "validate",
    reason: "the spec's post-deployment validation",
    always: true,
    run: inp.validateStep,
  });
  return {
    name: "redeploy-corevault",
    params: {
      oldVault: inp.oldVault,
      usdc: inp.usdc,
      factory: inp.factory,
      hub: inp.hub,
      books: inp.books.map((b) => b.orderBook),
      admins: inp.admins,
      books_: inp.books_,
    },
    steps,
  };
}
