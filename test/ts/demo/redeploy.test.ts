import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { redeployDemo } from "../../../src/demo/redeploy.ts";

describe("demo chapter: redeploy mid-story", () => {
  it("runs the redeploy, migration, a liquidation on the new vault, and validation passes", async () => {
    const r = await redeployDemo({ quiet: true });
    assert.equal(r.validationPassed, true);
  });
});
