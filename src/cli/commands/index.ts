// Every `dexetra` command, in the order `--help` lists them.
import type { CommandSpec } from "../command.ts";
import { check } from "./check.ts";
import { checkRoles } from "./checkRoles.ts";
import { config } from "./config.ts";
import { deploy } from "./deploy.ts";
import { regrantRoles } from "./regrantRoles.ts";
import { status } from "./status.ts";
import { redeployCorevault } from "./redeployCorevault.ts";
import { validate } from "./validate.ts";
import { snapshot } from "./snapshot.ts";
import { migrate } from "./migrate.ts";
import { inspectOrderbookLiq } from "./inspectOrderbookLiq.ts";
import { upgradeCorevault } from "./upgradeCorevault.ts";
import { keystore } from "./keystore.ts";
import { bigBlocks } from "./bigBlocks.ts";
import { keeper } from "./keeper.ts";
import { monitor } from "./monitor.ts";
import { dashboard } from "./dashboard.ts";
import { up } from "./up.ts";

export const commands: CommandSpec[] = [
  deploy,
  config,
  status,
  check,
  checkRoles,
  regrantRoles,
  inspectOrderbookLiq,
  upgradeCorevault,
  redeployCorevault,
  validate,
  snapshot,
  migrate,
  keystore,
  bigBlocks,
  keeper,
  monitor,
  dashboard,
  up,
];
