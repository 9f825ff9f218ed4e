namespace SecHubFanout.Core.Orchestration;

/// <summary>What the coordinator tells people about where the data is and how to query it.</summary>
public sealed record CoordinatorOptions
{
    /// <summary>The findings bucket's name (for the s3:// locations in emails).</summary>
    public required string FindingsBucket { get; init; }

    /// <summary>The Glue database of the findings table. Default <c>sechub_fanout</c>.</summary>
    public string GlueDatabase { get; init; } = "sechub_fanout";

    /// <summary>The Glue table over the findings. Default <c>findings</c>.</summary>
    public string GlueTable { get; init; } = "findings";

    /// <summary>The Athena workgroup to query in. Default <c>primary</c>.</summary>
    public string AthenaWorkgroup { get; init; } = "primary";
}
