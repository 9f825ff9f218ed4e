namespace SecHubFanout.Cli.Exporting;

/// <summary>The <c>export</c> command's options as given, before validation.</summary>
internal sealed record ExportSettings
{
    public string? Regions { get; init; }

    public string Out { get; init; } = "sechub-export";

    public string Format { get; init; } = "parquet";

    public string? Filters { get; init; }

    public string? Since { get; init; }

    public string? Checkpoint { get; init; }

    public string? AccountId { get; init; }

    public string? ExportId { get; init; }

    public string? EndpointUrl { get; init; }

    public string? Profile { get; init; }

    public string? HomeRegion { get; init; }

    public string? KmsKeyId { get; init; }

    public int PartSize { get; init; } = 10_000;

    /// <summary>v1 (GetFindings, ASFF) or v2 (GetFindingsV2, OCSF).</summary>
    public string Api { get; init; } = "v1";

    public bool Incremental { get; init; }

    public string? Overlap { get; init; }
}
