// Pages GetFindings to the end with the SDK's own paginator and prints what came back, page by page.
import { paginateGetFindings } from "@aws-sdk/client-securityhub";
import { args, client, describeError, print } from "./client.mjs";

const a = args();
const input = { Filters: a.filters, SortCriteria: a.sortCriteria, MaxResults: a.maxResults ?? 100 };
const findings = [];
let pages = 0;
try {
  for await (const page of paginateGetFindings({ client: client(a), pageSize: a.maxResults ?? 100 }, input)) {
    pages++;
    for (const f of page.Findings ?? []) {
      findings.push({
        Id: f.Id,
        UpdatedAt: f.UpdatedAt,
        CreatedAt: f.CreatedAt,
        SeverityLabel: f.Severity?.Label,
        ComplianceStatus: f.Compliance?.Status ?? null,
        WorkflowStatus: f.Workflow?.Status,
        RecordState: f.RecordState,
        Title: f.Title,
        ProductName: f.ProductName,
        ResourceType: f.Resources?.[0]?.Type,
      });
    }
  }
  print({ ok: true, pages, findings });
} catch (e) {
  print({ ok: false, pages, error: describeError(e) });
}
