// A small runbook over the real MockUSDC contract, used to exercise the journal engine itself.
import { getAddress, parseUnits } from "viem";
import type { Address, PublicClient } from "viem";
import { readArtifact } from "../../../src/chain/artifacts.ts";
import type { Runbook, StepContext } from "../../../src/runbook/types.ts";

const art = () => readArtifact("MockUSDC");

async function balance(client: PublicClient, token: string, who: Address): Promise<bigint> {
  return (await client.readContract({
    address: getAddress(token),
    abi: art().abi,
    functionName: "balanceOf",
    args: [who],
  })) as bigint;
}

async function allowance(client: PublicClient, token: string, owner: Address, spender: Address): Promise<bigint> {
  return (await client.readContract({
    address: getAddress(token),
    abi: art().abi,
    functionName: "allowance",
    args: [owner, spender],
  })) as bigint;
}

export const AMOUNTS = { alice: parseUnits("1000", 6), dave: parseUnits("5", 6), bob: 77n, carol: 88n };

export function tokenRunbook(p: {
  alice: Address;
  bob: Address;
  carol: Address;
  dave: Address;
  tag?: string;
}): Runbook {
  const token = (ctx: StepContext) => getAddress(ctx.outputs.usdc!);
  return {
    name: "token-demo",
    params: { ...p },
    steps: [
      {
        kind: "tx",
        id: "deploy:usdc",
        reason: "collateral token for the test",
        sender: "signer",
        output: "usdc",
        build: () => ({ kind: "deploy", artifact: "MockUSDC", abi: art().abi, bytecode: art().bytecode, args: [6] }),
        isDone: async (ctx, candidate) =>
          !!candidate && ((await ctx.client.getCode({ address: candidate })) ?? "0x") !== "0x",
      },
      {
        kind: "tx",
        id: "mint:alice",
        reason: "fund alice",
        sender: "signer",
        build: (ctx) => ({
          kind: "call",
          to: token(ctx),
          abi: art().abi,
          functionName: "mint",
          args: [p.alice, AMOUNTS.alice],
        }),
        isDone: async (ctx) => (await balance(ctx.client, token(ctx), p.alice)) >= AMOUNTS.alice,
      },
      {
        kind: "local",
        id: "note",
        reason: "a local step that records an output",
        run: async (ctx) => ({ aliceBalance: String(await balance(ctx.client, token(ctx), p.alice)) }),
      },
      {
        kind: "tx",
        id: "approve:bob",
        reason: "admin allowance for bob",
        sender: "admin",
        build: (ctx) => ({
          kind: "call",
          to: token(ctx),
          abi: art().abi,
          functionName: "approve",
          args: [p.bob, AMOUNTS.bob],
        }),
        isDone: async (ctx) => (await allowance(ctx.client, token(ctx), ctx.admin, p.bob)) === AMOUNTS.bob,
      },
      {
        kind: "tx",
        id: "approve:carol",
        reason: "admin allowance for carol",
        sender: "admin",
        build: (ctx) => ({
          kind: "call",
          to: token(ctx),
          abi: art().abi,
          functionName: "approve",
          args: [p.carol, AMOUNTS.carol],
        }),
        isDone: async (ctx) => (await allowance(ctx.client, token(ctx), ctx.admin, p.carol)) === AMOUNTS.carol,
      },
      {
        kind: "tx",
        id: "mint:dave",
        reason: "fund dave",
        sender: "signer",
        build: (ctx) => ({
          kind: "call",
          to: token(ctx),
          abi: art().abi,
          functionName: "mint",
          args: [p.dave, AMOUNTS.dave],
        }),
        isDone: async (ctx) => (await balance(ctx.client, token(ctx), p.dave)) >= AMOUNTS.dave,
      },
    ],
  };
}

export async function tokenState(
  client: PublicClient,
  token: string,
  admin: Address,
  p: { alice: Address; bob: Address; carol: Address; dave: Address },
) {
  return {
    alice: await balance(client, token, p.alice),
    dave: await balance(client, token, p.dave),
    bob: await allowance(client, token, admin, p.bob),
    carol: await allowance(client, token, admin, p.carol),
  };
}
