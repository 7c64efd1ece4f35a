// Every `dexetra` command, in the order `--help` lists them.
import type { CommandSpec } from "../command.ts";
import { check } from "./check.ts";
import { checkRoles } from "./checkRoles.ts";
import { config } from "./config.ts";
import { regrantRoles } from "./regrantRoles.ts";
import { status } from "./status.ts";
import { keeper } from "./keeper.ts";
import { monitor } from "./monitor.ts";
import { dashboard } from "./dashboard.ts";

export const commands: CommandSpec[] = [config, status, check, checkRoles, regrantRoles, keeper, monitor, dashboard];
