// `dexetra deploy`: the whole hub system as one journaled, idempotent runbook. What the record
// already has (and the chain confirms) is reused, never redeployed: Multicall3, USDC (MockUSDC on
// in-process chains), the vault (risk module, implementation, proxy), the order-book facet set,
// and one diamond per requested market wired into the vault.
import {
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  keccak256,
  stringToHex,
  toFunctionSelector,
  zeroAddress,
} from "viem";
import type { AbiFunction, Address, Hex } from "viem";
import { readArtifact } from "../chain/artifacts.ts";
import { accessControlAbi, roleId, vaultWiringAbi } from "../chain/abis.ts";
import type { RoleName } from "../chain/abis.ts";
import type { DeploymentRecord } from "../config/schema.ts";
import type { Runbook, Step, StepContext } from "./types.ts";
import { callStep, deployStep, hasCode, out } from "./steps.ts";
import { ORDERBOOK_FACETS } from "../chain/deployOrderBook.ts";

/** The standard facet set, in cut order: one definition, shared with the test/bench deploy helper. */
export const FACETS = ORDERBOOK_FACETS;

export type MarketSpec = { symbol: string; startPrice: bigint; maxLeverage: bigint };

export type DeployInput = {
  network: string;
  chainId: number;
  rec: DeploymentRecord;
  /** USDC to use; absent on an in-process chain = deploy MockUSDC(6). */
  usdc?: Address;
  markets: MarketSpec[];
  /** Deploy books without OBVaultAdminFacet (reproduces books from before the admin facet). */
  legacyBooks?: boolean;
  admin?: Address;
  /** CollateralHub with a ThresholdVerifier over these relayer signers (none = no hub). */
  hub?: { signers: Address[]; threshold: bigint; operator: Address };
  /** Deploy the FuturesMarketFactory and create the markets through it (read back from it). */
  factory?: boolean;
  recordStep: (ctx: StepContext) => Promise<Record<string, string> | void>;
};

export function selectorsOf(name: string): Hex[] {
  return (readArtifact(name).abi.filter((i) => i.type === "function") as AbiFunction[]).map((f) =>
    toFunctionSelector(f),
  );
}

/** Deterministic market id: chain, vault-independent, from the symbol. */
export function marketIdOf(chainId: number, symbol: string): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "uint256" }, { type: "string" }], [BigInt(chainId), `dexetra.market:${symbol}`]),
  );
}

const PARAMS = {
  tickSize: 10_000n,
  lotSize: 10n ** 15n,
  minNotional: 1_000_000n,
  makerFeeBps: 2n,
  takerFeeBps: 5n,
  maxFillsPerTaker: 20n,
  defaultSlippageBps: 500n,
  markClampBps: 1_000n,
  liqPriceBoundBps: 1_000n,
  liqNotionalCap: 1_000_000n * 1_000_000n,
};

function existingFrom(rec: DeploymentRecord, name: string, facet = false) {
  return async (ctx: StepContext): Promise<Address | undefined> => {
    const a = facet ? rec.facets[name]?.address : rec.contracts[name]?.address;
    return a && (await hasCode(ctx, a)) ? a : undefined;
  };
}

export function deployRunbook(inp: DeployInput): Runbook {
  const rec = inp.rec;
  const steps: Step[] = [];
  steps.push(
    deployStep({
      id: "deploy:Multicall3",
      artifact: "Multicall3",
      output: "Multicall3",
      reason: "batched reads for check/validate/snapshot",
      existing: existingFrom(rec, "Multicall3"),
    }),
  );
  if (!inp.usdc) {
    steps.push(
      deployStep({
        id: "deploy:USDC",
        artifact: "MockUSDC",
        output: "USDC",
        reason: "6-decimal collateral stand-in (in-process chain only)",
        args: [6],
        existing: existingFrom(rec, "USDC"),
      }),
    );
  }
  const usdc = (ctx: StepContext) => inp.usdc ?? out("USDC")(ctx);
  const admin = (ctx: StepContext) => inp.admin ?? ctx.signer;
  const vaultExisting = existingFrom(rec, "CoreVault");
  steps.push(
    deployStep({
      id: "deploy:VaultRiskModule",
      artifact: "VaultRiskModule",
      output: "VaultRiskModule",
      reason: "delegatecalled risk module",
      existing: async (ctx) => ((await vaultExisting(ctx)) ? rec.contracts.VaultRiskModule?.address : undefined),
    }),
    deployStep({
      id: "deploy:CoreVault-impl",
      artifact: "CoreVault",
      output: "CoreVaultImpl",
      reason: "CoreVault implementation",
      args: (ctx) => [out("VaultRiskModule")(ctx)],
      existing: async (ctx) => ((await vaultExisting(ctx)) ? rec.contracts.CoreVault?.implementation : undefined),
    }),
    deployStep({
      id: "deploy:CoreVault-proxy",
      artifact: "CoreVaultProxy",
      output: "CoreVault",
      reason: "CoreVault (UUPS proxy), initialized with USDC and the admin",
      args: (ctx) => [
        out("CoreVaultImpl")(ctx),
        // The deployer is the interim admin (it wires books and roles); the admin gets the role at the end.
        encodeFunctionData({ abi: vaultWiringAbi, functionName: "initialize", args: [usdc(ctx), ctx.signer] }),
      ],
      existing: vaultExisting,
    }),
    lazyGrant(out("CoreVault"), "PAUSER_ROLE", admin, "grant:PAUSER_ROLE:admin", "the admin can pause the vault"),
  );
  if (inp.hub) {
    const h = inp.hub;
    const hubExisting = existingFrom(rec, "CollateralHub");
    steps.push(
      deployStep({
        id: "deploy:ThresholdVerifier",
        artifact: "ThresholdVerifier",
        output: "ThresholdVerifier",
        reason: `${h.threshold}-of-${h.signers.length} relayer signature verifier`,
        args: (ctx) => [admin(ctx), h.signers, h.threshold],
        existing: existingFrom(rec, "ThresholdVerifier"),
      }),
      deployStep({
        id: "deploy:CollateralHub-impl",
        artifact: "CollateralHub",
        output: "CollateralHubImpl",
        reason: "CollateralHub implementation",
        existing: async (ctx) => ((await hubExisting(ctx)) ? rec.contracts.CollateralHub?.implementation : undefined),
      }),
      deployStep({
        id: "deploy:CollateralHub-proxy",
        artifact: "CollateralProxy",
        output: "CollateralHub",
        reason: "CollateralHub (proxy) crediting the vault",
        args: (ctx) => [
          out("CollateralHubImpl")(ctx),
          encodeFunctionData({
            abi: readArtifact("CollateralHub").abi,
            functionName: "initialize",
            args: [admin(ctx), out("CoreVault")(ctx), h.operator, out("ThresholdVerifier")(ctx)],
          }),
        ],
        existing: hubExisting,
      }),
      lazyGrant(
        out("CoreVault"),
        "EXTERNAL_CREDITOR_ROLE",
        out("CollateralHub"),
        "grant:EXTERNAL_CREDITOR_ROLE:hub",
        "CollateralHub credits cross-chain deposits",
      ),
    );
  }
  const facets = FACETS.filter((f) => !(inp.legacyBooks && f === "OBVaultAdminFacet"));
  for (const f of [...FACETS, "OrderBookInit"]) {
    steps.push(
      deployStep({
        id: `deploy:${f}`,
        artifact: f,
        output: f,
        reason: "order-book facet set, deployed once",
        existing: existingFrom(rec, f, true),
      }),
    );
  }
  if (inp.factory) {
    steps.push(...factorySteps(inp, rec, facets, admin));
  }
  for (const m of inp.factory ? [] : inp.markets) {
    const id = marketIdOf(inp.chainId, m.symbol);
    const marginBps = 10_000n / m.maxLeverage;
    const known = rec.markets.find((x) => x.marketId === id);
    steps.push(
      deployStep({
        id: `deploy:book:${m.symbol}`,
        artifact: "Diamond",
        output: `book:${m.symbol}`,
        reason: `order book for ${m.symbol}${inp.legacyBooks ? " (legacy facet set, no OBVaultAdminFacet)" : ""}`,
        existing: async (ctx) => (known && (await hasCode(ctx, known.orderBook)) ? known.orderBook : undefined),
        args: (ctx) => {
          const cuts = facets.map((f) => ({ facetAddress: out(f)(ctx), action: 0, functionSelectors: selectorsOf(f) }));
          const init = encodeFunctionData({
            abi: readArtifact("OrderBookInit").abi,
            functionName: "obInitialize",
            args: [out("CoreVault")(ctx), id, admin(ctx), { ...PARAMS, marginBps, initialMarkPrice: m.startPrice }],
          });
          return [admin(ctx), cuts, out("OrderBookInit")(ctx), init];
        },
      }),
    );
    const book = out(`book:${m.symbol}`);
    const vault = out("CoreVault");
    steps.push(
      callStep({
        id: `register:${m.symbol}`,
        reason: `register the ${m.symbol} book (grants ORDERBOOK_ROLE)`,
        sender: "signer",
        to: vault,
        abi: vaultWiringAbi,
        functionName: "registerOrderBook",
        args: (ctx) => [book(ctx)],
        isDone: async (ctx) =>
          (await ctx.client.readContract({
            address: vault(ctx),
            abi: vaultWiringAbi,
            functionName: "isOrderBookRegistered",
            args: [book(ctx)],
          })) as boolean,
      }),
      lazyGrant(
        vault,
        "SETTLEMENT_ROLE",
        book,
        `grant:SETTLEMENT_ROLE:${m.symbol}`,
        `the ${m.symbol} book pushes marks`,
      ),
      callStep({
        id: `assign:${m.symbol}`,
        reason: `market ${m.symbol} → its book`,
        sender: "signer",
        to: vault,
        abi: vaultWiringAbi,
        functionName: "assignMarketToOrderBook",
        args: (ctx) => [id, book(ctx)],
        isDone: async (ctx) =>
          getAddress(
            (await ctx.client.readContract({
              address: vault(ctx),
              abi: vaultWiringAbi,
              functionName: "marketToOrderBook",
              args: [id],
            })) as Address,
          ) === book(ctx),
      }),
      callStep({
        id: `risk:${m.symbol}`,
        reason: `${m.symbol} initial margin ${marginBps} bps (${m.maxLeverage}x)`,
        sender: "signer",
        to: vault,
        abi: vaultWiringAbi,
        functionName: "setMarketRiskParams",
        args: [id, marginBps],
        isDone: async (ctx) =>
          (
            (await ctx.client.readContract({
              address: vault(ctx),
              abi: vaultWiringAbi,
              functionName: "getMarketInfo",
              args: [id],
            })) as { initialMarginBps: bigint }
          ).initialMarginBps === marginBps,
      }),
    );
  }
  // Hand the vault to its admin (a Safe in production) and drop the deployer's interim role.
  steps.push(
    lazyGrant(
      out("CoreVault"),
      "DEFAULT_ADMIN_ROLE",
      admin,
      "handover:DEFAULT_ADMIN_ROLE",
      "the admin (a multisig in production) owns the vault",
    ),
    callStep({
      id: "renounce:deployer-admin",
      reason: "the deployer gives up its interim admin role",
      sender: "signer",
      to: out("CoreVault"),
      abi: accessControlAbi,
      functionName: "revokeRole",
      args: (ctx) => [roleId("DEFAULT_ADMIN_ROLE"), ctx.signer],
      isDone: async (ctx) =>
        getAddress(admin(ctx)) === getAddress(ctx.signer) ||
        !((await ctx.client.readContract({
          address: out("CoreVault")(ctx),
          abi: accessControlAbi,
          functionName: "hasRole",
          args: [roleId("DEFAULT_ADMIN_ROLE"), ctx.signer],
        })) as boolean),
    }),
  );
  steps.push({
    kind: "local",
    id: "record",
    reason: "write deployments/<network>.json and the generated config",
    always: true,
    run: inp.recordStep,
  });
  return {
    name: "deploy",
    params: {
      network: inp.network,
      usdc: inp.usdc,
      markets: inp.markets.map((m) => m.symbol),
      legacyBooks: !!inp.legacyBooks,
      factory: !!inp.factory,
      admin: inp.admin,
    },
    steps,
  };
}

const factoryArt = () => readArtifact("FuturesMarketFactory").abi;

/** Factory behind FactoryProxy, its facet registry, its vault roles, markets created through it,
 * and its admin roles handed to the admin. */
function factorySteps(
  inp: DeployInput,
  rec: DeploymentRecord,
  facets: readonly string[],
  admin: (ctx: StepContext) => Address,
): Step[] {
  const factory = out("FuturesMarketFactory");
  const existing = existingFrom(rec, "FuturesMarketFactory");
  const read = (ctx: StepContext, functionName: string, args: readonly unknown[] = []) =>
    ctx.client.readContract({
      address: factory(ctx),
      abi: factoryArt(),
      functionName,
      args,
    } as never) as Promise<unknown>;
  const steps: Step[] = [
    deployStep({
      id: "deploy:FuturesMarketFactory-impl",
      artifact: "FuturesMarketFactory",
      output: "FuturesMarketFactoryImpl",
      reason: "FuturesMarketFactory implementation",
      existing: async (ctx) => ((await existing(ctx)) ? rec.contracts.FuturesMarketFactory?.implementation : undefined),
    }),
    deployStep({
      id: "deploy:FuturesMarketFactory-proxy",
      artifact: "FactoryProxy",
      output: "FuturesMarketFactory",
      reason: "FuturesMarketFactory (proxy): creates books on the vault; the deployer is interim admin",
      args: (ctx) => [
        out("FuturesMarketFactoryImpl")(ctx),
        encodeFunctionData({
          abi: factoryArt(),
          functionName: "initialize",
          args: [ctx.signer, out("CoreVault")(ctx), admin(ctx), admin(ctx)],
        }),
      ],
      existing,
    }),
    callStep({
      id: "factory:setFacetRegistry",
      reason: `the factory gives every new book the ${facets.length}-facet set`,
      sender: "signer",
      to: factory,
      abi: factoryArt(),
      functionName: "setFacetRegistry",
      args: (ctx) => [
        facets.map((f) => ({ facet: out(f)(ctx), selectors: selectorsOf(f) })),
        out("OrderBookInit")(ctx),
      ],
      isDone: async (ctx) => ((await read(ctx, "getFacetRegistry")) as unknown[]).length === facets.length,
    }),
    lazyGrant(
      out("CoreVault"),
      "FACTORY_ROLE",
      factory,
      "grant:FACTORY_ROLE:factory",
      "the factory registers and assigns new books",
    ),
    lazyGrant(
      out("CoreVault"),
      "SETTLEMENT_ROLE",
      factory,
      "grant:SETTLEMENT_ROLE:factory",
      "the factory sets each market's start mark",
    ),
  ];
  for (const m of inp.markets) {
    steps.push(
      callStep({
        id: `market:${m.symbol}`,
        reason: `create ${m.symbol} through the factory (${m.maxLeverage}x, start ${m.startPrice})`,
        sender: "signer",
        to: factory,
        abi: factoryArt(),
        functionName: "createFuturesMarket",
        args: [
          {
            symbol: m.symbol,
            tickSize: PARAMS.tickSize,
            lotSize: PARAMS.lotSize,
            minNotional: PARAMS.minNotional,
            maxLeverage: m.maxLeverage,
            makerFeeBps: PARAMS.makerFeeBps,
            takerFeeBps: PARAMS.takerFeeBps,
            startPrice: m.startPrice,
          },
        ],
        isDone: async (ctx) =>
          getAddress((await read(ctx, "orderBookOf", [await read(ctx, "marketIdFor", [m.symbol])])) as Address) !==
          zeroAddress,
      }),
    );
  }
  const F = (ctx: StepContext) => factory(ctx);
  steps.push(
    lazyGrant(F, "DEFAULT_ADMIN_ROLE", admin, "factory:handover:DEFAULT_ADMIN_ROLE", "the admin owns the factory"),
    callStep({
      id: "factory:handover:MARKET_CREATOR_ROLE",
      reason: "the admin creates markets",
      sender: "signer",
      to: factory,
      abi: accessControlAbi,
      functionName: "grantRole",
      args: (ctx) => [keccak256(stringToHex("MARKET_CREATOR_ROLE")), admin(ctx)],
      isDone: async (ctx) =>
        (await ctx.client.readContract({
          address: F(ctx),
          abi: accessControlAbi,
          functionName: "hasRole",
          args: [keccak256(stringToHex("MARKET_CREATOR_ROLE")), admin(ctx)],
        })) as boolean,
    }),
  );
  for (const role of ["MARKET_CREATOR_ROLE", "DEFAULT_ADMIN_ROLE"] as const) {
    const id = role === "DEFAULT_ADMIN_ROLE" ? roleId("DEFAULT_ADMIN_ROLE") : keccak256(stringToHex(role));
    steps.push(
      callStep({
        id: `factory:renounce:${role}`,
        reason: `the deployer gives up ${role} on the factory`,
        sender: "signer",
        to: factory,
        abi: accessControlAbi,
        functionName: "revokeRole",
        args: (ctx) => [id, ctx.signer],
        isDone: async (ctx) =>
          getAddress(admin(ctx)) === getAddress(ctx.signer) ||
          !((await ctx.client.readContract({
            address: F(ctx),
            abi: accessControlAbi,
            functionName: "hasRole",
            args: [id, ctx.signer],
          })) as boolean),
      }),
    );
  }
  return steps;
}

/** grantRole where the account is only known at run time (an output or the signer). */
function lazyGrant(
  vault: (ctx: StepContext) => Address,
  role: RoleName,
  account: (ctx: StepContext) => Address,
  id: string,
  reason: string,
) {
  return callStep({
    id,
    reason,
    sender: "signer",
    to: vault,
    abi: accessControlAbi,
    functionName: "grantRole",
    args: (ctx) => [roleId(role), account(ctx)],
    isDone: async (ctx) =>
      (await ctx.client.readContract({
        address: vault(ctx),
        abi: accessControlAbi,
        functionName: "hasRole",
        args: [roleId(role), account(ctx)],
      })) as boolean,
  });
}
