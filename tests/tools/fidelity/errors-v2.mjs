// Provokes one GetFindingsV2 error and prints how the SDK surfaced it (name = the modeled exception).
import { GetFindingsV2Command } from "@aws-sdk/client-securityhub";
import { args, client, describeError, print } from "./client.mjs";

const a = args();
const sh = client(a);

async function attempt(input) {
  try {
    const out = await sh.send(new GetFindingsV2Command(input));
    return { ok: true, count: out.Findings?.length ?? 0, nextToken: out.NextToken ?? null };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}

const severity = (value) => ({ CompositeFilters: [{ StringFilters: [{ FieldName: "severity", Filter: { Value: value, Comparison: "EQUALS" } }] }] });

switch (a.scenario) {
  case "request":
    print(await attempt(a.input));
    break;
  case "changedQuery": {
    const first = await sh.send(new GetFindingsV2Command({ MaxResults: 10, Filters: severity("High") }));
    print(await attempt({ MaxResults: 10, NextToken: first.NextToken, Filters: severity("Low") }));
    break;
  }
  case "throttle": {
    // Fired together, so only the burst gets through; retries are off (maxAttempts 1) so 429s surface.
    const results = await Promise.all(Array.from({ length: a.requests }, () => attempt({ MaxResults: 1 })));
    print({
      ok: results.filter((r) => r.ok).length,
      throttled: results.filter((r) => !r.ok && r.error.name === "ThrottlingException").length,
      other: results.filter((r) => !r.ok && r.error.name !== "ThrottlingException").map((r) => r.error),
    });
    break;
  }
  default:
    throw new Error("unknown scenario " + a.scenario);
}
