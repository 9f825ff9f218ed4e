using System.Text.Json;
using System.Text.Json.Serialization;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// What to start: a new organization-wide export (all fields optional), or, with <see cref="ExportId"/> and <see cref="Accounts"/>,
/// a restart of chosen accounts of an existing export (which keeps that export's Regions, filters and time range).
/// </summary>
/// <param name="ExportId">The export to restart accounts of; null starts a new export.</param>
/// <param name="Accounts">The accounts to start; null means every target account.</param>
/// <param name="Regions">The Regions to export; null means the launcher's default Regions.</param>
/// <param name="Filters">Security Hub filters (a JSON object); null exports all findings.</param>
/// <param name="Since">Export only findings updated at or after this time; null for everything.</param>
/// <param name="ContinueExportId">Set only by the launcher itself: go on launching the accounts of this export that a previous invocation did not reach.</param>
/// <param name="ContinueFrom">With <paramref name="ContinueExportId"/>: the first account (in ordinal order) the previous invocation did not reach.</param>
/// <param name="Api">v1 (GetFindings, default) or v2 (GetFindingsV2: OCSF findings, <paramref name="Filters"/> in OcsfFindingFilters form); a restart keeps the export's own.</param>
/// <param name="Incremental">
/// Start an incremental export: each account from its Regions' watermarks (where their last completed export ended) minus the
/// overlap; an account-Region without one is exported in full. Not with filters, a start time or a restart.
/// </param>
/// <param name="Overlap">With <paramref name="Incremental"/>: the overlap, such as 15m (the default), 90s or 1h.</param>
public sealed record LaunchRequest(
    [property: JsonPropertyName("exportId")] string? ExportId = null,
    [property: JsonPropertyName("accounts")] IReadOnlyList<string>? Accounts = null,
    [property: JsonPropertyName("regions")] IReadOnlyList<string>? Regions = null,
    [property: JsonPropertyName("filters")] JsonElement? Filters = null,
    [property: JsonPropertyName("since")] DateTimeOffset? Since = null,
    [property: JsonPropertyName("continueExportId")] string? ContinueExportId = null,
    [property: JsonPropertyName("continueFrom")] string? ContinueFrom = null,
    [property: JsonPropertyName("api")] string? Api = null,
    [property: JsonPropertyName("incremental")] bool Incremental = false,
    [property: JsonPropertyName("overlap")] string? Overlap = null)
{
    /// <summary>The API asked for (V1 when <see cref="Api"/> is absent or not a valid name; <see cref="Validate"/> reports the latter).</summary>
    [JsonIgnore]
    public FindingsApi FindingsApi => Api is "v2" or "V2" ? FindingsApi.V2 : FindingsApi.V1;

    /// <summary>The overlap of an incremental request (the default when none is given); null for an ordinary one. Call after <see cref="Validate"/>.</summary>
    public TimeSpan? IncrementalOverlap() => !Incremental ? null : Overlap is null ? global::SecHubFanout.Core.Incremental.Watermarks.DefaultOverlap : global::SecHubFanout.Core.Incremental.OverlapText.Parse(Overlap);

    /// <summary>Says what is wrong with the request, if anything.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ContinueExportId is not null)
        {
            if (!ExportIds.IsValid(ContinueExportId))
            {
                problems.Add($"continueExportId '{ContinueExportId}' is not an export ID");
            }

            if (ExportId is not null || Regions is not null || Filters is not null || Since is not null || Api is not null || Incremental || Overlap is not null)
            {
                problems.Add("a continued launch carries only continueExportId (and the accounts of the original request)");
            }

            if (ContinueFrom is not null && !AccountIds.IsValid(ContinueFrom))
            {
                problems.Add($"continueFrom '{ContinueFrom}' is not a 12-digit AWS account ID");
            }
        }
        else if (ContinueFrom is not null)
        {
            problems.Add("continueFrom goes only with continueExportId");
        }

        if (ExportId is not null)
        {
            if (!ExportIds.IsValid(ExportId))
            {
                problems.Add($"export ID '{ExportId}' is not an export ID (expected yyyyMMddTHHmmssZ-xxxxxxxx, as printed by 'sechub-fanout start')");
            }

            if (Accounts is null || Accounts.Count == 0)
            {
                problems.Add("restarting an export needs the accounts to restart (accounts)");
            }

            if (Regions is not null || Filters is not null || Since is not null || Api is not null)
            {
                problems.Add("a restart keeps the export's own Regions, filters, API and time range: leave out regions, filters, api and since");
            }
        }

        if (Incremental)
        {
            if (ExportId is not null)
            {
                problems.Add("a restart continues its own export: leave out --incremental (the restarted accounts start from their watermarks again)");
            }

            if (Since is not null)
            {
                problems.Add("--since and --incremental do not go together: an incremental export starts each account-Region at its watermark (minus the overlap); drop --since");
            }

            if (Filters is not null)
            {
                problems.Add("an incremental export takes every finding: watermarks are kept per account and Region, not per filter; drop --filters (filter in the query instead)");
            }

            if (Overlap is not null)
            {
                try
                {
                    _ = global::SecHubFanout.Core.Incremental.OverlapText.Parse(Overlap);
                }
                catch (FormatException e)
                {
                    problems.Add("overlap: " + e.Message);
                }
            }
        }
        else if (Overlap is not null)
        {
            problems.Add("the overlap goes only with an incremental export (--incremental)");
        }

        if (Accounts is not null)
        {
            problems.AddRange(Accounts.Where(a => !AccountIds.IsValid(a)).Select(a => $"account '{a}' is not a 12-digit AWS account ID"));
        }

        if (Regions is not null)
        {
            if (Regions.Count == 0)
            {
                problems.Add("the Region list is empty");
            }

            problems.AddRange(Regions.Where(r => !RegionNames.IsValid(r)).Select(r => $"'{r}' is not a Region name (for example eu-west-1)"));
        }

        if (Api is not null)
        {
            try
            {
                _ = FindingsApis.Parse(Api);
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }
        }

        // The exporters' own parser: filters that every Region would reject are refused here, before anything starts.
        if (Filters is { } f)
        {
            try
            {
                _ = FindingFilters.Parse(f.GetRawText(), FindingsApi);
            }
            catch (InvalidFiltersException e)
            {
                problems.Add(e.Message);
            }
        }

        return problems;
    }
}
