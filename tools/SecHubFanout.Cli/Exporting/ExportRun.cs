using System.Globalization;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using SecHubFanout.Aws;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Incremental;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Resilience;

namespace SecHubFanout.Cli.Exporting;

/// <summary>
/// One run of <c>export</c>: validates every input (nothing is written until all are valid), finds the account and Regions,
/// proves the output writable, runs the engine with progress and checkpointing, and prints the summary.
/// </summary>
internal sealed class ExportRun
{
    private const string DefaultHomeRegion = "us-east-1";
    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;
    private readonly ExportSettings _settings;
    private readonly TextWriter _out;
    private readonly TimeProvider _timeProvider;

    public ExportRun(ExportSettings settings, TextWriter output, TimeProvider timeProvider)
    {
        _settings = settings;
        _out = output;
        _timeProvider = timeProvider;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // 1. Everything that needs neither the network nor a write.
        var startUp = StartUpPhases.Start(_timeProvider);
        var api = ParseApi(_settings.Api);
        var format = PartFormats.TryGet(_settings.Format, out _)
            ? PartFormats.Get(_settings.Format, api)
            : throw new UsageException($"Unknown format '{_settings.Format}': use one of {string.Join(", ", PartFormats.Names)} (--format).");
        var filters = ReadFilters(_settings.Filters, api);
        var since = ParseSince(_settings.Since);
        var givenRegions = ParseRegions(_settings.Regions);
        if (_settings.PartSize < 100)
        {
            throw new UsageException($"--part-size {_settings.PartSize} is too small: a part holds at least one page of 100 findings.");
        }

        var overlap = ParseIncremental(_settings);
        var target = ExportTarget.Parse(_settings.Out, _settings.KmsKeyId);
        var endpoint = ParseEndpoint(_settings.EndpointUrl);
        var saved = _settings.Checkpoint is null ? null : CheckpointFile.Load(_settings.Checkpoint);
        if (overlap is not null)
        {
            saved = NextIncrementalRun(saved, format, filters, target, givenRegions);
        }
        else if (saved is not null)
        {
            CheckSameExport(saved, format, filters, since, givenRegions, target);
            if (saved.Complete)
            {
                await _out.WriteLineAsync(
                    $"Export {saved.ExportId} of account {saved.AccountId} is already complete (checkpoint {_settings.Checkpoint}): " +
                    $"{saved.Checkpoints.Sum(c => c.Findings):N0} findings from {saved.Checkpoints.Count} Region(s) in {saved.Output}. Nothing to do; " +
                    "delete the checkpoint file (or use another) to export again, or add --incremental to export what changed since.").ConfigureAwait(false);
                return ExitCodes.Success;
            }
        }

        // 2. Credentials, account and Regions: the network, still nothing written.
        var homeRegion = FirstNonEmpty(_settings.HomeRegion, Environment.GetEnvironmentVariable("AWS_REGION"), Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"), givenRegions?.FirstOrDefault(), saved?.Regions.FirstOrDefault()) ?? DefaultHomeRegion;
        startUp.Mark("checking the arguments");
        using var clients = await AwsClients.CreateAsync(new AwsClientOptions { Profile = _settings.Profile, Region = homeRegion, EndpointUrl = endpoint, AccountId = _settings.AccountId }, cancellationToken).ConfigureAwait(false);
        startUp.Mark("credentials");
        var accountId = _settings.AccountId ?? saved?.AccountId ?? await CallerAccountAsync(clients, cancellationToken).ConfigureAwait(false);
        startUp.Mark("account");
        if (saved is not null && saved.AccountId != accountId)
        {
            throw new UsageException($"--checkpoint {_settings.Checkpoint} belongs to account {saved.AccountId}, but the credentials (or --account-id) are for account {accountId}: use that account's credentials, or another checkpoint file.");
        }

        var exportId = saved?.ExportId ?? _settings.ExportId ?? NewExportId(incremental: false, previous: null);
        var regions = await ResolveRegionsAsync(clients, homeRegion, givenRegions ?? saved?.Regions, cancellationToken).ConfigureAwait(false);
        startUp.Mark("Regions");
        if (!PartKeys.IsValidExportId(exportId))
        {
            throw new UsageException($"--export-id: {PartKeys.ExportIdProblem(exportId)}.");
        }

        if (!AccountIds.IsValid(accountId))
        {
            throw new UsageException($"--account-id: {AccountIds.Problem(accountId)}.");
        }

        if (regions.FirstOrDefault(r => !RegionNames.IsValid(r)) is { } badRegion)
        {
            throw new UsageException($"--regions: {RegionNames.Problem(badRegion)}.");
        }

        var end = saved?.End ?? Instants.TruncateToMillisecond(_timeProvider.GetUtcNow());
        var watermarks = Watermarks.From(saved?.Watermarks);
        var sinceByRegion = overlap is not { } o ? null
            : saved?.SinceByRegion ?? watermarks.SinceByRegion(regions, o, end);
        if (since is { } s && s > end)
        {
            throw new UsageException($"--since {_settings.Since} is in the future: give an earlier instant.");
        }

        // 3. Prove the output (and the checkpoint's folder) writable: the first writes of the run.
        await target.CheckWritableAsync(clients, accountId, cancellationToken).ConfigureAwait(false);
        startUp.Mark("output check");
        var options = CliExportOptions.Default with { PartSize = _settings.PartSize };
        var request = new ExportRequest { ExportId = exportId, AccountId = accountId, Filters = filters, Since = since, SinceByRegion = sinceByRegion, Until = end };
        var data = saved ?? new CheckpointFileData(
            CheckpointFileData.CurrentVersion, exportId, accountId, end, since, filters.Fingerprint, _settings.Out, format.Name, regions, [], false, [],
            overlap is not null, sinceByRegion, saved?.Watermarks);
        using var checkpointFile = _settings.Checkpoint is null ? null : CheckpointFile.Open(_settings.Checkpoint, data with { Regions = regions, SinceByRegion = sinceByRegion });

        // 4. Export.
        var sink = target.CreateSink(clients, out var ownedSink);
        using var sinkClient = ownedSink;
        var exporter = new AccountExporter(clients.CreateFindingSource(), sink, format, options, _timeProvider);
        var board = new ProgressBoard(regions, ConsoleMode.IsInteractive, _out, TimeSpan.FromSeconds(5), _timeProvider);
        foreach (var checkpoint in data.Checkpoints)
        {
            board.SetBaseline(checkpoint.Region, checkpoint.Findings);
        }

        // An incremental file always exists after the first run: only a run with stored checkpoints is a resume.
        var resuming = saved is not null && (overlap is null || data.Checkpoints.Count > 0);
        await _out.WriteLineAsync(
            $"{(resuming ? "Resuming" : "Exporting")} {(overlap is null ? string.Empty : "incremental ")}export {exportId}: account {accountId}, {regions.Count} Region(s) ({string.Join(", ", regions)}), " +
            $"findings updated {DescribeRange(since, sinceByRegion, regions)} up to {UpdatedAtWindow.FormatInstant(end)}, {format.Name} to {target.Text}").ConfigureAwait(false);
        var callbacks = new ExportCallbacks { Progress = board.For(null), CheckpointSaved = checkpointFile is null ? null : checkpointFile.SaveAsync };
        var resume = data.Checkpoints.Where(c => regions.Contains(c.Region, StringComparer.Ordinal)).ToList();
        startUp.Mark("set-up");
        AccountResult result;
        try
        {
            result = await board.RunAsync(() => exporter.ExportAsync(request, regions, resume, callbacks, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && checkpointFile is not null)
        {
            await Console.Error.WriteLineAsync($"Stopped; progress is in {checkpointFile.Path}: run the same command again to resume.").ConfigureAwait(false);
            throw;
        }

        var failed = result.Regions.Where(r => r.Status is RegionStatus.Failed or RegionStatus.InProgress).ToList();
        if (checkpointFile is not null)
        {
            // A Region's watermark moves only when it completed: a failed one keeps its old one, so the next run covers the gap.
            var completed = result.Regions.Where(r => r.Status == RegionStatus.Complete).Select(r => r.Region);
            await checkpointFile.UpdateAsync(d => d with
            {
                NotEnabledRegions = result.Regions.Where(r => r.Status == RegionStatus.NotEnabled).Select(r => r.Region).ToList(),
                Complete = failed.Count == 0,
                Finished = result.Regions.All(r => r.Status != RegionStatus.InProgress),
                Watermarks = d.Incremental ? Watermarks.From(d.Watermarks).Advance(completed, result.End).ByRegion : d.Watermarks,
            }).ConfigureAwait(false);
        }

        await PrintSummaryAsync(result, sink, startUp).ConfigureAwait(false);
        if (overlap is not null)
        {
            await _out.WriteLineAsync(sinceByRegion is { Count: > 0 }
                ? $"{result.Findings:N0} findings changed since the previous run (each Region from its watermark minus the {OverlapText.Format(overlap.Value)} overlap; findings seen twice collapse in findings_latest)."
                : $"First run of incremental export: full export of {result.Findings:N0} findings; the next run with --checkpoint {_settings.Checkpoint} --incremental exports only what changed.").ConfigureAwait(false);
        }
        foreach (var region in failed)
        {
            await Console.Error.WriteLineAsync($"error: Region {region.Region} {(region.Status == RegionStatus.Failed ? "failed: " + region.Reason : "did not finish")}").ConfigureAwait(false);
        }

        if (failed.Count > 0)
        {
            // Denied everywhere it failed: a permission to fix (an IAM or service control policy), not a fault to retry.
            var denied = failed.All(r => r.FailureKind == ServiceErrorKind.AccessDenied);
            if (denied)
            {
                await Console.Error.WriteLineAsync(
                    $"The credentials may not call securityhub:GetFindings in {string.Join(", ", failed.Select(r => r.Region))}: allow it (IAM or service control policy), " +
                    "or leave these Regions out with --regions.").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync(
                checkpointFile is null
                    ? "Run again with --checkpoint FILE to be able to resume; what was stored is kept."
                    : overlap is not null
                        ? $"The failed Region(s) keep their watermark in {checkpointFile.Path}: the next run with --incremental exports them from there, so nothing is lost."
                        : $"Run the same command again to resume from {checkpointFile.Path}.").ConfigureAwait(false);
            return denied ? ExitCodes.Credentials : ExitCodes.Failed;
        }

        return ExitCodes.Success;
    }

    private async Task PrintSummaryAsync(AccountResult result, Core.Sinks.IPartSink sink, StartUpPhases startUp)
    {
        await _out.WriteLineAsync().ConfigureAwait(false);
        await _out.WriteLineAsync(string.Create(_inv, $"{"Region",-16} {"status",-12} {"findings",10} {"parts",6} {"throttles",9} {"duration",9}  where")).ConfigureAwait(false);
        foreach (var r in result.Regions)
        {
            var where = r.Status == RegionStatus.NotEnabled
                ? "Security Hub is not enabled here: skipped"
                : r.Parts == 0 ? "(no findings)" : sink.Describe(r.KeyPrefix.TrimEnd('/'));
            await _out.WriteLineAsync(string.Create(_inv, $"{r.Region,-16} {Status(r.Status),-12} {r.Findings,10:N0} {r.Parts,6:N0} {r.Throttles,9:N0} {r.Duration.TotalSeconds,8:F1}s  {where}")).ConfigureAwait(false);
        }

        var enabled = result.Regions.Count(r => r.Status != RegionStatus.NotEnabled);
        await _out.WriteLineAsync(string.Create(_inv, $"Total: {result.Findings:N0} findings from {enabled} Region(s) in {result.Duration.TotalSeconds:F1}s; export {result.ExportId}, account {result.AccountId}.")).ConfigureAwait(false);
        var notEnabled = result.Regions.Where(r => r.Status == RegionStatus.NotEnabled).Select(r => r.Region).ToList();
        if (notEnabled.Count > 0)
        {
            await _out.WriteLineAsync($"Skipped (Security Hub not enabled): {string.Join(", ", notEnabled)}.").ConfigureAwait(false);
        }

        foreach (var line in (TimeBreakdown.From(result.Duration, [result], CliExportOptions.Default.Quota)?.Lines(string.Empty) ?? []).Prepend(startUp.Line(string.Empty)))
        {
            await _out.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks <c>--incremental</c>'s companions and returns the overlap, or null for an ordinary export. Refused together: --since
    /// (each Region starts at its own watermark) and --export-id (every run needs a new one); --incremental needs --checkpoint.
    /// </summary>
    private static TimeSpan? ParseIncremental(ExportSettings settings)
    {
        if (!settings.Incremental)
        {
            return settings.Overlap is null
                ? null
                : throw new UsageException("--overlap goes only with --incremental: add --incremental (with --checkpoint FILE), or drop --overlap.");
        }

        if (settings.Since is not null)
        {
            throw new UsageException(
                "--since and --incremental do not go together: an incremental export starts each Region where its previous completed run ended " +
                "(minus --overlap). Drop --since, or drop --incremental for a one-off export of findings updated since an instant.");
        }

        if (settings.Checkpoint is null)
        {
            throw new UsageException("--incremental needs --checkpoint FILE: the file keeps each Region's watermark (where its previous completed run ended) between runs.");
        }

        if (settings.ExportId is not null)
        {
            throw new UsageException("--export-id does not go with --incremental: every incremental run gets a new export ID of its own. Drop --export-id.");
        }

        try
        {
            return settings.Overlap is null ? Watermarks.DefaultOverlap : OverlapText.Parse(settings.Overlap);
        }
        catch (FormatException e)
        {
            throw new UsageException("--overlap: " + e.Message, e);
        }
    }

    /// <summary>
    /// What an incremental run continues from: the unfinished run in the file (resumed as it was), else a new run planned from the
    /// watermarks (returned without an export ID and end, which the run then sets), else nothing (the first run: a full export).
    /// </summary>
    private CheckpointFileData? NextIncrementalRun(CheckpointFileData? saved, IPartFormat format, FindingFilters filters, ExportTarget target, List<string>? regions)
    {
        if (saved is null)
        {
            return null;
        }

        string? differs = saved.Format != format.Name ? $"--format {saved.Format}"
            : saved.FiltersFingerprint != filters.Fingerprint ? "other --filters"
            : !SameOutput(saved, target) ? $"--out {saved.Output}"
            : null;
        if (differs is not null)
        {
            throw new UsageException(
                $"--checkpoint {_settings.Checkpoint} keeps the watermarks of exports with {differs}: an incremental run must keep the same --format, --filters and --out " +
                "(else the runs do not add up to one dataset). Use them, or another checkpoint file.");
        }

        if (!saved.Incremental)
        {
            if (!saved.Complete || saved.Since is not null)
            {
                throw new UsageException(
                    $"--checkpoint {_settings.Checkpoint} holds {(saved.Complete ? "an export with --since" : "an unfinished export")} {saved.ExportId}, which gives no watermark: " +
                    (saved.Complete ? "use another checkpoint file (its first run is a full export)." : "finish it first (run it again without --incremental), or use another checkpoint file."));
            }

            // A complete full export is a valid first run: every Region it completed starts from its end.
            var completed = saved.Regions.Except(saved.NotEnabledRegions, StringComparer.Ordinal);
            saved = saved with { Incremental = true, Finished = true, Watermarks = Watermarks.From(saved.Watermarks).Advance(completed, saved.End).ByRegion };
        }

        if (!saved.Finished && !saved.Complete)
        {
            // Interrupted (killed or Ctrl+C): resume that run with its own export ID, end and per-Region starts.
            if (regions is not null && !regions.Order(StringComparer.Ordinal).SequenceEqual(saved.Regions.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                throw new UsageException($"--checkpoint {_settings.Checkpoint} holds an interrupted run of --regions {string.Join(",", saved.Regions)}: run it with those Regions to finish it, or use another checkpoint file.");
            }

            return saved;
        }

        var end = Instants.TruncateToMillisecond(_timeProvider.GetUtcNow());
        return saved with
        {
            ExportId = NewExportId(incremental: true, previous: saved.ExportId),
            End = end,
            Regions = regions ?? saved.Regions,
            NotEnabledRegions = [],
            Complete = false,
            Finished = false,
            Checkpoints = [],
            SinceByRegion = null,
        };
    }

    private string NewExportId(bool incremental, string? previous)
    {
        // Milliseconds in an incremental ID: two runs in one second must not share keys (same date, same ID would overwrite parts).
        var id = (incremental ? "incr-" : "cli-") + _timeProvider.GetUtcNow().UtcDateTime.ToString(incremental ? "yyyyMMdd-HHmmssfff" : "yyyyMMdd-HHmmss", _inv);
        return id == previous ? id + "-2" : id;
    }

    private bool SameOutput(CheckpointFileData saved, ExportTarget target) =>
        string.Equals(ExportTarget.Parse(saved.Output, _settings.KmsKeyId).Directory ?? saved.Output, target.Directory ?? target.Text, StringComparison.Ordinal);

    private static string DescribeRange(DateTimeOffset? since, IReadOnlyDictionary<string, DateTimeOffset>? sinceByRegion, IReadOnlyList<string> regions)
    {
        if (sinceByRegion is null || sinceByRegion.Count == 0)
        {
            return since is null ? "any time" : "since " + UpdatedAtWindow.FormatInstant(since.Value);
        }

        return string.Join(
            "; ",
            regions.GroupBy(r => sinceByRegion.TryGetValue(r, out var at) ? "since " + UpdatedAtWindow.FormatInstant(at) : "any time (no watermark yet)")
                .Select(g => $"{g.Key} in {string.Join(", ", g)}"));
    }

    private static string Status(RegionStatus status) => status switch
    {
        RegionStatus.Complete => "complete",
        RegionStatus.NotEnabled => "not-enabled",
        RegionStatus.InProgress => "in-progress",
        _ => "failed",
    };

    private static FindingsApi ParseApi(string text)
    {
        try
        {
            return FindingsApis.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--api: " + e.Message, e);
        }
    }

    private static FindingFilters ReadFilters(string? text, FindingsApi api)
    {
        if (text is null)
        {
            return FindingFilters.NoneFor(api);
        }

        if (text.StartsWith('@'))
        {
            var path = text[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"--filters file '{path}' not found: give @<path to a JSON file> or the JSON itself.");
            }

            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--filters file '{path}' cannot be read ({e.Message}).", e);
            }
        }

        try
        {
            return FindingFilters.Parse(text, api);
        }
        catch (InvalidFiltersException e)
        {
            var advice = e.Field == FindingFilters.WindowField ? " Use --since for that." : string.Empty;
            throw new UsageException("--filters: " + e.Message + advice, e);
        }
    }

    private static DateTimeOffset? ParseSince(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, _inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var since))
        {
            throw new UsageException($"--since '{text}' is not an ISO-8601 instant: use for example 2026-11-01T00:00:00Z.");
        }

        return since;
    }

    private static List<string>? ParseRegions(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var regions = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (regions.Count == 0)
        {
            throw new UsageException("--regions is empty: give Region names such as us-east-1,eu-west-1, or leave the option out to export every enabled Region.");
        }

        if (regions.FirstOrDefault(r => !RegionNames.IsValid(r)) is { } badRegion)
        {
            throw new UsageException($"--regions: {RegionNames.Problem(badRegion)}.");
        }

        var duplicate = regions.GroupBy(r => r, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? regions : throw new UsageException($"--regions names {duplicate.Key} twice.");
    }

    private static Uri? ParseEndpoint(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--endpoint-url '{text}' is not an http(s) URL such as http://127.0.0.1:4566.");
    }

    private void CheckSameExport(CheckpointFileData saved, IPartFormat format, FindingFilters filters, DateTimeOffset? since, List<string>? regions, ExportTarget target)
    {
        string? differs = null;
        if (_settings.ExportId is not null && _settings.ExportId != saved.ExportId)
        {
            differs = $"export ID {saved.ExportId} (not {_settings.ExportId})";
        }
        else if (saved.Format != format.Name)
        {
            differs = $"--format {saved.Format}";
        }
        else if (saved.FiltersFingerprint != filters.Fingerprint)
        {
            differs = "other --filters (or another --api)";
        }
        else if (saved.Since != since)
        {
            differs = saved.Since is null ? "no --since" : $"--since {UpdatedAtWindow.FormatInstant(saved.Since.Value)}";
        }
        else if (!SameOutput(saved, target))
        {
            differs = $"--out {saved.Output}";
        }
        else if (regions is not null && !regions.Order(StringComparer.Ordinal).SequenceEqual(saved.Regions.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            differs = $"--regions {string.Join(",", saved.Regions)}";
        }

        if (differs is not null)
        {
            throw new UsageException($"--checkpoint {_settings.Checkpoint} belongs to an export with {differs}: run it with the same options to resume, or use another checkpoint file for a new export.");
        }
    }

    private static async Task<string> CallerAccountAsync(AwsClients clients, CancellationToken cancellationToken)
    {
        using var sts = clients.CreateStsClient();
        try
        {
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
            return identity.Account;
        }
        catch (AmazonServiceException e) when ((int)e.StatusCode is 400 or 401 or 403)
        {
            throw new ServiceCallException(
                ServiceErrorKind.AccessDenied,
                $"The AWS credentials were rejected by STS GetCallerIdentity ({e.ErrorCode}: {e.Message}): check --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or sign in again ('aws sso login').",
                e.ErrorCode,
                (int)e.StatusCode,
                e);
        }
        catch (AmazonServiceException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"STS GetCallerIdentity failed ({e.ErrorCode ?? e.StatusCode.ToString()}): {e.Message}. Retry, or pass --account-id.", e.ErrorCode, (int)e.StatusCode, e);
        }
        catch (AmazonClientException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"Could not reach STS to find the account ({e.Message}): check --endpoint-url / AWS_ENDPOINT_URL_STS and the network, or pass --account-id.", innerException: e);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"Could not reach STS to find the account ({e.Message}): check --endpoint-url / AWS_ENDPOINT_URL_STS and the network, or pass --account-id.", innerException: e);
        }
    }

    private async Task<IReadOnlyList<string>> ResolveRegionsAsync(AwsClients clients, string homeRegion, IReadOnlyList<string>? given, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> enabled;
        try
        {
            var catalog = clients.CreateRegionCatalog();
            var pipeline = RetryPipeline.Create(new RetryOptions { MaxRetries = 3 }, _timeProvider);
            enabled = await pipeline.ExecuteAsync(async ct => await catalog.ListEnabledRegionsAsync(homeRegion, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceCallException e) when (given is not null && e.Kind is ServiceErrorKind.AccessDenied)
        {
            // Exporting named Regions needs no EC2 permission; only their names cannot be checked then.
            await Console.Error.WriteLineAsync($"warning: could not list the account's Regions ({e.Message}); exporting --regions as given.").ConfigureAwait(false);
            return given;
        }
        catch (HttpRequestException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"Could not reach EC2 to list the Regions ({e.Message}): check --endpoint-url / AWS_ENDPOINT_URL_EC2 and the network.", innerException: e);
        }

        if (given is null)
        {
            return enabled;
        }

        var unknown = given.Where(r => !enabled.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException(
                $"Unknown Region{(unknown.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unknown)}: not among the Regions enabled for this account ({string.Join(", ", enabled)}). " +
                "Check the spelling, or enable the Region (opt-in Regions must be enabled in the account first).");
        }

        return given;
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(static v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
