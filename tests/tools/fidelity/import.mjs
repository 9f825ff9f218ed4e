// BatchImportFindings with the SDK, then reads the imported findings back with GetFindings.
import { BatchImportFindingsCommand, GetFindingsCommand } from "@aws-sdk/client-securityhub";
import { args, client, describeError, print } from "./client.mjs";

const a = args();
const sh = client(a);
try {
  const imported = await sh.send(new BatchImportFindingsCommand({ Findings: a.findings }));
  const read = await sh.send(new GetFindingsCommand({ Filters: { GeneratorId: [{ Value: a.generatorId, Comparison: "EQUALS" }] }, MaxResults: 100 }));
  print({
    ok: true,
    successCount: imported.SuccessCount,
    failedCount: imported.FailedCount,
    failed: imported.FailedFindings ?? [],
    read: (read.Findings ?? []).map((f) => ({ Id: f.Id, Title: f.Title, UpdatedAt: f.UpdatedAt, AwsAccountId: f.AwsAccountId })),
  });
} catch (e) {
  print({ ok: false, error: describeError(e) });
}
