// Pages GetFindingsV2 to the end with the SDK's own paginator and prints the OCSF findings' key fields, page by page.
import { paginateGetFindingsV2 } from "@aws-sdk/client-securityhub";
import { args, client, describeError, print } from "./client.mjs";

const a = args();
const input = { Filters: a.filters, SortCriteria: a.sortCriteria, MaxResults: a.maxResults ?? 100 };
const findings = [];
let pages = 0;
try {
  for await (const page of paginateGetFindingsV2({ client: client(a), pageSize: a.maxResults ?? 100 }, input)) {
    pages++;
    for (const f of page.Findings ?? []) {
      findings.push({
        uid: f.finding_info?.uid,
        class_uid: f.class_uid,
        title: f.finding_info?.title,
        modified: f.finding_info?.modified_time_dt,
        modified_ms: f.finding_info?.modified_time,
        severity: f.severity,
        severity_id: f.severity_id,
        status: f.status,
        compliance_status: f.compliance?.status ?? null,
        control: f.compliance?.control ?? null,
        account: f.cloud?.account?.uid,
        region: f.cloud?.region,
        resource_types: (f.resources ?? []).map((r) => r.type),
        resource_regions: (f.resources ?? []).map((r) => r.region),
        tags: Object.fromEntries((f.resources?.[0]?.tags ?? []).map((t) => [t.name, t.value])),
        fix_available: f.vulnerabilities?.[0]?.is_fix_available ?? null,
      });
    }
  }
  print({ ok: true, pages, findings });
} catch (e) {
  print({ ok: false, pages, error: describeError(e) });
}
