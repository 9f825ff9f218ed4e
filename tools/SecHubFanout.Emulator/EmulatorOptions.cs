using System.Globalization;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Emulator;

/// <summary>What the emulator serves and how it misbehaves; every property has a default that matches AWS's documented quotas.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Accounts that exist (12 digits each); an access key ID of exactly 12 digits is that account, "test" is 000000000000. Default: 000000000000.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = ["000000000000"];

    /// <summary>Regions where Security Hub is enabled in every account. Default: us-east-1.</summary>
    public IReadOnlyList<string> Regions { get; init; } = ["us-east-1"];

    /// <summary>Regions that exist (EC2 DescribeRegions lists them) but where Security Hub is not enabled: 401 InvalidAccessException. Default: none.</summary>
    public IReadOnlyList<string> DisabledRegions { get; init; } = [];

    /// <summary>
    /// Regions among <see cref="Regions"/> where every Security Hub call is refused with 403 AccessDeniedException, as a service
    /// control policy that denies a Region does. Default: none.
    /// </summary>
    public IReadOnlyList<string> DeniedRegions { get; init; } = [];

    /// <summary>Synthetic findings generated in every enabled (account, Region). Default 1000.</summary>
    public int FindingsPerRegion { get; init; } = 1000;

    /// <summary>GetFindings requests per second per (account, Region). Default 3, as documented.</summary>
    public double GetFindingsRate { get; init; } = 3.0;

    /// <summary>GetFindings burst per (account, Region). Default 6, as documented.</summary>
    public int GetFindingsBurst { get; init; } = 6;

    /// <summary>GetFindingsV2 requests per second per (account, Region): undocumented by AWS; null (default) = <see cref="GetFindingsRate"/>.</summary>
    public double? GetFindingsV2Rate { get; init; }

    /// <summary>GetFindingsV2 burst per (account, Region); null (default) = <see cref="GetFindingsBurst"/>.</summary>
    public int? GetFindingsV2Burst { get; init; }

    /// <summary>Added to every Security Hub call. Default none.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Share of Security Hub calls (0..1) answered 500 InternalException. Default 0.</summary>
    public double FaultRate { get; init; }

    /// <summary>Share of Security Hub calls (0..1) whose connection is aborted without an answer. Default 0.</summary>
    public double DropRate { get; init; }

    /// <summary>How long a NextToken stays valid; null (default) = forever.</summary>
    public TimeSpan? TokenLifetime { get; init; }

    /// <summary>Seed of the synthetic findings and of fault injection. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Every Nth generated finding is about 230 KB (close to the 240 KB limit); 0 (default) = none.</summary>
    public int LargeFindingEvery { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 (default) = any free port.</summary>
    public int Port { get; init; }

    /// <summary>Clock for the synthetic "now", quotas, latency and token lifetime; default the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Every problem with these options, as sentences that say how to fix them; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Accounts.Count == 0)
        {
            errors.Add("at least one account is needed (e.g. --accounts 111111111111).");
        }

        foreach (var account in Accounts.Where(a => !AccountIds.IsValid(a)))
        {
            errors.Add($"account '{account}' is not a 12-digit AWS account ID.");
        }

        if (Regions.Count == 0)
        {
            errors.Add("at least one Region is needed (e.g. --regions us-east-1).");
        }

        foreach (var region in Regions.Concat(DisabledRegions).Where(r => !RegionNames.IsValid(r)))
        {
            errors.Add($"'{region}' does not look like an AWS Region name (e.g. us-east-1, eu-central-2).");
        }

        foreach (var region in Regions.Intersect(DisabledRegions, StringComparer.Ordinal))
        {
            errors.Add($"Region '{region}' is both enabled and disabled; list it in one of them.");
        }

        foreach (var region in DeniedRegions.Except(Regions, StringComparer.Ordinal))
        {
            errors.Add($"denied Region '{region}' is not one of the enabled Regions ({string.Join(", ", Regions)}); add it to them too.");
        }

        if (GetFindingsV2Rate is <= 0 || GetFindingsV2Burst is < 1)
        {
            errors.Add("the GetFindingsV2 rate must be positive and its burst at least 1 (or leave both unset to use GetFindings' quota).");
        }

        if (FindingsPerRegion < 0)
        {
            errors.Add("findings per Region must be 0 or more.");
        }

        if (!(GetFindingsRate > 0) || double.IsInfinity(GetFindingsRate))
        {
            errors.Add("the GetFindings rate must be a positive number of requests per second.");
        }

        if (GetFindingsBurst < 1)
        {
            errors.Add("the GetFindings burst must be at least 1.");
        }

        if (Latency < TimeSpan.Zero)
        {
            errors.Add("latency must not be negative.");
        }

        AddFractionError(errors, "fault rate", FaultRate);
        AddFractionError(errors, "drop rate", DropRate);
        if (TokenLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            errors.Add("the token lifetime must be positive (leave it out for tokens that never expire).");
        }

        if (LargeFindingEvery < 0)
        {
            errors.Add("large-finding-every must be 0 (none) or positive.");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add("the port must be 0 (any free port) or 1..65535.");
        }

        return errors;
    }

    private static void AddFractionError(List<string> errors, string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"the {name} must be between 0 and 1 (got {value})."));
        }
    }
}
