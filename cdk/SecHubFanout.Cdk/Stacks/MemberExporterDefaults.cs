namespace SecHubFanout.Cdk.Stacks;

/// <summary>
/// Defaults and bounds of the member exporter's parameters, shared by <see cref="MemberExporterStack"/> (its own parameters) and
/// <see cref="CentralStack"/> (which passes its parameters to the StackSet), so a deployment through either gets the same.
/// </summary>
public static class MemberExporterDefaults
{
    /// <summary>Exporter Lambda memory in MB: one Region per invocation fits 512 MB with about 3x headroom (bench/README.md, "Exporter Lambda memory").</summary>
    public const int ExporterMemorySizeMb = 512;

    /// <summary>The smallest exporter memory the parameters accept, in MB.</summary>
    public const int MinExporterMemorySizeMb = 256;

    /// <summary>Lambda's largest memory size, in MB.</summary>
    public const int MaxExporterMemorySizeMb = 10240;

    /// <summary>Regions of one account exported at the same time (each Region has its own Security Hub quota).</summary>
    public const int RegionConcurrency = 8;

    /// <summary>The largest Region concurrency the parameters accept.</summary>
    public const int MaxRegionConcurrency = 40;
}
