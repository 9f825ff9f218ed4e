// Shared by the fidelity scripts: AWS's own JavaScript SDK pointed at the emulator, configured from one JSON argument.
import { SecurityHubClient } from "@aws-sdk/client-securityhub";

export function args() {
  return JSON.parse(process.argv[2] ?? "{}");
}

export function client(a, extra = {}) {
  return new SecurityHubClient({
    endpoint: a.endpoint,
    region: a.region ?? "us-east-1",
    credentials: { accessKeyId: a.account ?? "000000000000", secretAccessKey: a.secret ?? "test" },
    maxAttempts: a.maxAttempts ?? 1,
    ...extra,
  });
}

export function describeError(e) {
  return { name: e.name, status: e.$metadata?.httpStatusCode ?? null, message: e.message };
}

export function print(result) {
  process.stdout.write(JSON.stringify(result) + "\n");
}
