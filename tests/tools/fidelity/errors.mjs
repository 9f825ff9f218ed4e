// Provokes one documented error and prints how the SDK surfaced it (name = the modeled exception).
import { GetFindingsCommand } from "@aws-sdk/client-securityhub";
import { args, client, describeError, print } from "./client.mjs";

const a = args();
const sh = client(a);

async function attempt(input) {
  try {
    const out = await sh.send(new GetFindingsCommand(input));
    return { ok: true, count: out.Findings?.length ?? 0, nextToken: out.NextToken ?? null };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}

switch (a.scenario) {
  case "maxResults":
    print(await attempt({ MaxResults: a.maxResults }));
    break;
  case "changedQuery": {
    const first = await sh.send(new GetFindingsCommand({ MaxResults: 10, Filters: { RecordState: [{ Value: "ACTIVE", Comparison: "EQUALS" }] } }));
    print(await attempt({ MaxResults: 10, NextToken: first.NextToken, Filters: { RecordState: [{ Value: "ARCHIVED", Comparison: "EQUALS" }] } }));
    break;
  }
  case "startOnly":
    print(await attempt({ Filters: { UpdatedAt: [{ Start: "2026-01-01T00:00:00.000Z" }] } }));
    break;
  case "plain":
    print(await attempt({ MaxResults: a.maxResults ?? 10 }));
    break;
  case "throttle": {
    // Fired together, so only the burst gets through; retries are off (maxAttempts 1) so 429s surface.
    const results = await Promise.all(Array.from({ length: a.requests }, () => attempt({ MaxResults: 1 })));
    print({
      ok: results.filter((r) => r.ok).length,
      throttled: results.filter((r) => !r.ok && r.error.name === "TooManyRequestsException").length,
      other: results.filter((r) => !r.ok && r.error.name !== "TooManyRequestsException").map((r) => r.error),
    });
    break;
  }
  default:
    throw new Error("unknown scenario " + a.scenario);
}
