// Shared types of the relayer. Amounts and nonces are bigint (USDC 6 decimals).
import type { Address, Hex, PublicClient, WalletClient, Transport, Chain, Account } from "viem";

export const KIND_DEPOSIT = 1;
export const KIND_WITHDRAWAL = 2;

/** The on-chain `IMessageVerifier.Message`, field for field. */
export type CollateralMessage = {
  kind: number;
  srcChainId: bigint;
  srcContract: Address;
  dstChainId: bigint;
  dstContract: Address;
  nonce: bigint;
  user: Address;
  amount: bigint;
};

export type Status = "pending" | "delivered" | "failed";

/** A message as the relayer tracks it. */
export type TrackedMessage = {
  id: Hex;
  route: string;
  message: CollateralMessage;
  srcBlock: bigint;
  srcTx: Hex;
  status: Status;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  deliveryTx: Hex | null;
};

export type Pub = PublicClient<Transport, Chain>;
export type Wallet = WalletClient<Transport, Chain, Account>;

/** One chain end: where to read and where to write. */
export type Endpoint = {
  name: string;
  chainId: bigint;
  contract: Address;
  verifier: Address;
  publicClient: Pub;
  walletClient: Wallet;
};

/** One direction the relayer serves: deposits spoke -> hub, withdrawals hub -> spoke. */
export type Route = {
  name: string;
  kind: typeof KIND_DEPOSIT | typeof KIND_WITHDRAWAL;
  source: Endpoint;
  destination: Endpoint;
  /** Block to start from when the store has no cursor yet (the contract's deploy block). */
  startBlock: bigint;
  /** Source blocks to wait before a message counts (overrides the relayer default). */
  confirmations?: bigint;
};

/** The two routes between the hub and one spoke: the spoke's deposits to the hub and the hub's
 * withdrawals to the spoke, each starting at its source's `start` block. */
export function spokeRoutes(
  hub: Endpoint,
  spoke: Endpoint,
  start: { hub: bigint; spoke: bigint },
  confirmations: { hub?: bigint; spoke?: bigint } = {},
): Route[] {
  return [
    {
      name: `deposits:${spoke.chainId}->${hub.chainId}`,
      kind: KIND_DEPOSIT,
      source: spoke,
      destination: hub,
      startBlock: start.spoke,
      ...(confirmations.spoke !== undefined ? { confirmations: confirmations.spoke } : {}),
    },
    {
      name: `withdrawals:${hub.chainId}->${spoke.chainId}`,
      kind: KIND_WITHDRAWAL,
      source: hub,
      destination: spoke,
      startBlock: start.hub,
      ...(confirmations.hub !== undefined ? { confirmations: confirmations.hub } : {}),
    },
  ];
}
