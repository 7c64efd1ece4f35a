// The deployment record: the one source of every address on a network. Written only by the CLI
// (src/config/record.ts), read by every tool, and the input of the generated app/server config.
import { z } from "zod";
import { getAddress, isAddress } from "viem";
import type { Address, Hex } from "viem";

export const SCHEMA_VERSION = 1 as const;

/** Any-case 0x address in, EIP-55 checksummed out. Mixed-case input must carry a valid checksum. */
export const AddressSchema = z
  .string()
  .refine((s) => isAddress(s, { strict: true }), { message: "not an address (or bad EIP-55 checksum)" })
  .transform((s) => getAddress(s) as Address);

export const HashSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "not a 32-byte hex value")
  .transform((s) => s.toLowerCase() as Hex);

const BlockSchema = z.number().int().nonnegative();

/** One generation of a contract: what it was, where and when it was deployed. */
export const GenerationSchema = z.object({
  address: AddressSchema,
  implementation: AddressSchema.optional(),
  deployBlock: BlockSchema.optional(),
  deployTx: HashSchema.optional(),
  retiredAt: z.string().optional(),
  reason: z.string().optional(),
});

export const ContractEntrySchema = z.object({
  /** Artifact (contract) name, e.g. "CoreVault". */
  artifact: z.string().min(1),
  address: AddressSchema,
  /** ERC-1967 implementation for proxies. */
  implementation: AddressSchema.optional(),
  deployBlock: BlockSchema.optional(),
  deployTx: HashSchema.optional(),
  /** Earlier generations, newest last (upgrades change `implementation`, redeploys `address`). */
  previous: z.array(GenerationSchema).default([]),
});

export const FacetSchema = z.object({
  artifact: z.string().min(1),
  address: AddressSchema,
  selectors: z.array(z.string().regex(/^0x[0-9a-fA-F]{8}$/)).default([]),
  deployBlock: BlockSchema.optional(),
  deployTx: HashSchema.optional(),
});

/** A market as read from the factory (never from an off-chain list). */
export const MarketSchema = z.object({
  marketId: HashSchema,
  symbol: z.string().default(""),
  orderBook: AddressSchema,
  /** The vault this market trades on; in a dual-vault period legacy markets keep the old one. */
  vault: AddressSchema,
  createdBlock: BlockSchema.optional(),
});

/** Role name (e.g. "ORDERBOOK_ROLE") -> holders, as last read from / written to the chain. */
export const RoleHoldersSchema = z.record(z.string(), z.array(AddressSchema));

export const OperatorsSchema = z.object({
  /** DEFAULT_ADMIN_ROLE holder(s): meant to be a multisig. */
  admin: z.array(AddressSchema).default([]),
  pauser: z.array(AddressSchema).default([]),
  /** SETTLEMENT_ROLE operators besides the factory. */
  settlement: z.array(AddressSchema).default([]),
  /** CollateralHub's operator argument of setCoreVaultParams. */
  hubOperator: AddressSchema.optional(),
  /** Keeper / liquidator accounts (informational). */
  keepers: z.array(AddressSchema).default([]),
});

export const DeploymentRecordSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  network: z.string().min(1),
  chainId: z.number().int().positive(),
  updatedAt: z.string(),
  /** Well-known names: USDC, CoreVault, FuturesMarketFactory, CollateralHub, Multicall3, OrderBookInit, MerkleClaim. */
  contracts: z.record(z.string(), ContractEntrySchema).default({}),
  facets: z.record(z.string(), FacetSchema).default({}),
  markets: z.array(MarketSchema).default([]),
  /** Role holders per contract name: { CoreVault: { ORDERBOOK_ROLE: [...] } }. */
  roles: z.record(z.string(), RoleHoldersSchema).default({}),
  operators: OperatorsSchema.default({ admin: [], pauser: [], settlement: [], keepers: [] }),
  /** Migration state: strategy and artifacts (snapshot checksum, Merkle root). */
  migration: z
    .object({
      strategy: z.enum(["dual-vault", "merkle-claim"]),
      fromVault: AddressSchema,
      toVault: AddressSchema,
      snapshotBlock: BlockSchema.optional(),
      snapshotChecksum: HashSchema.optional(),
      merkleRoot: HashSchema.optional(),
      total: z.string().regex(/^\d+$/).optional(),
    })
    .optional(),
});

export type DeploymentRecord = z.infer<typeof DeploymentRecordSchema>;
export type ContractEntry = z.infer<typeof ContractEntrySchema>;
export type MarketEntry = z.infer<typeof MarketSchema>;
export type FacetEntry = z.infer<typeof FacetSchema>;

export function emptyRecord(network: string, chainId: number): DeploymentRecord {
  return DeploymentRecordSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    network,
    chainId,
    updatedAt: new Date(0).toISOString(),
  });
}
