namespace SecHubFanout.Core.Deployment;

/// <summary>
/// Names of the environment variables the member stack sets on the exporter function, so the CDK that writes them and the
/// options class that reads them cannot drift apart (the central functions' are in <see cref="CentralEnvironment"/>).
/// </summary>
public static class ExporterEnvironment
{
    /// <summary>Seconds one invocation may export before it returns a checkpoint: the function timeout minus a safety margin.</summary>
    public const string TimeBudgetSeconds = "TIME_BUDGET_SECONDS";

    /// <summary>The SSM parameter path below which running counts are kept (default <see cref="FanoutNames.CountParameterPrefix"/>).</summary>
    public const string CountParameterPrefix = "COUNT_PARAMETER_PREFIX";

    /// <summary>Most findings per part (optional; the engine's default otherwise).</summary>
    public const string PartSize = "PART_SIZE";

    /// <summary>The account that must own the findings bucket (the central account), sent as the expected bucket owner on every write.</summary>
    public const string FindingsBucketOwner = "FINDINGS_BUCKET_OWNER";

    /// <summary>
    /// The member account's DynamoDB table where the exporter saves each Region's checkpoint at every advance (optional): with it a
    /// crashed invocation's retry resumes from what was stored, not from its input, so windows may also split by timing.
    /// </summary>
    public const string CheckpointTable = "CHECKPOINT_TABLE";

    /// <summary>Every name above, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [TimeBudgetSeconds, CountParameterPrefix, PartSize, FindingsBucketOwner, CheckpointTable];
}
