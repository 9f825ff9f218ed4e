namespace SecHubFanout.Core.Queries;

/// <summary>Names and wire facts of each <see cref="FindingsApi"/>: how users write it, which operation and path it calls, which field the windows cut.</summary>
public static class FindingsApis
{
    /// <summary>The names users write (<c>v1</c>, <c>v2</c>), default first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["v1", "v2"];

    /// <summary>The API named <paramref name="name"/> (<c>v1</c> or <c>v2</c>, case-insensitive); throws <see cref="ArgumentException"/> naming the valid values.</summary>
    public static FindingsApi Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "v1" => FindingsApi.V1,
        "v2" => FindingsApi.V2,
        _ => throw new ArgumentException(
            $"Unknown API '{name}'. Use v1 (GetFindings, ASFF findings of Security Hub CSPM) or v2 (GetFindingsV2, OCSF findings of the new Security Hub).", nameof(name)),
    };

    /// <summary>The name users write for <paramref name="api"/>.</summary>
    public static string Name(this FindingsApi api) => api == FindingsApi.V2 ? "v2" : "v1";

    /// <summary>The Security Hub operation (<c>GetFindings</c>, <c>GetFindingsV2</c>), for messages and signing context.</summary>
    public static string Operation(this FindingsApi api) => api == FindingsApi.V2 ? "GetFindingsV2" : "GetFindings";

    /// <summary>The rest-json request path (<c>/findings</c>, <c>/findingsv2</c>).</summary>
    public static string Path(this FindingsApi api) => api == FindingsApi.V2 ? "/findingsv2" : "/findings";

    /// <summary>The finding field the export windows cut (<c>UpdatedAt</c>, <c>finding_info.modified_time_dt</c>).</summary>
    public static string WindowField(this FindingsApi api) => api == FindingsApi.V2 ? OcsfFilters.WindowField : FindingFilters.WindowField;
}
