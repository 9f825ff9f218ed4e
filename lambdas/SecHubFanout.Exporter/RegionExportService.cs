using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Auth;
using SecHubFanout.Aws.Checkpoints;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.S3;
using SecHubFanout.Aws.Ssm;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Schema;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Exporter;

/// <summary>
/// What one exporter invocation does: validates the input, exports its one Region with the engine (resuming from the checkpoint)
/// within the time left of the budget, keeps the SSM running count, and turns the engine's result into the answer.
/// </summary>
public sealed class RegionExportService
{
    /// <summary>The least time an invocation pages, even when preparing it used up the budget.</summary>
    public static readonly TimeSpan MinimumRun = TimeSpan.FromSeconds(1);

    private readonly IFindingSource _source;
    private readonly Func<ExporterDestination, IPartSink> _sinks;
    private readonly IFindingCounter _counter;
    private readonly Func<CancellationToken, Task<string>> _callerAccount;
    private readonly IPartFormat _format;
    private readonly IPartSpool? _spool;
    private readonly ICheckpointStore? _checkpoints;

    /// <summary>Creates the service over its ports (tests and hosts that wire their own).</summary>
    /// <param name="source">Security Hub for the member account (any Region).</param>
    /// <param name="sinks">Makes the part sink of a destination.</param>
    /// <param name="counter">Keeps the running count visible in the member account.</param>
    /// <param name="callerAccount">The account of the credentials, used when the input names none.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="time">The clock of the time budget.</param>
    /// <param name="format">The part format; default Parquet.</param>
    /// <param name="spool">Where parts are spooled before they are stored; default temporary files.</param>
    /// <param name="checkpoints">Where each checkpoint is saved at every advance, and a run resumes from when it is later than the
    /// input's (needed for <see cref="ExportOptions.SplitWhenIdle"/>); default none.</param>
    public RegionExportService(
        IFindingSource source,
        Func<ExporterDestination, IPartSink> sinks,
        IFindingCounter counter,
        Func<CancellationToken, Task<string>> callerAccount,
        ExporterOptions options,
        TimeProvider time,
        IPartFormat? format = null,
        IPartSpool? spool = null,
        ICheckpointStore? checkpoints = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _sinks = sinks ?? throw new ArgumentNullException(nameof(sinks));
        _counter = counter ?? throw new ArgumentNullException(nameof(counter));
        _callerAccount = callerAccount ?? throw new ArgumentNullException(nameof(callerAccount));
        Options = options;
        Time = time ?? throw new ArgumentNullException(nameof(time));
        _format = format ?? new ParquetPartFormat();
        _spool = spool;
        _checkpoints = checkpoints;
        if (options.Export.SplitWhenIdle && checkpoints is null)
        {
            throw new ArgumentException("Splits by timing need a checkpoint store: a crashed invocation's retry would otherwise start before what it stored.", nameof(checkpoints));
        }
    }

    /// <summary>The options in force.</summary>
    public ExporterOptions Options { get; }

    /// <summary>The clock the time budget is measured with.</summary>
    public TimeProvider Time { get; }

    /// <summary>Wires the real adapters from <paramref name="clients"/>: Security Hub, S3 with SSE-KMS, the SSM count, STS for the account.</summary>
    public static RegionExportService Create(AwsClients clients, ExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        var s3 = clients.CreateS3Client(options.Region);

        // Local S3-protocol servers store aws-chunked framing inside the object: send plain bodies to custom endpoints.
        var plainBodies = clients.Endpoints.Resolve(AwsService.S3, options.Region).IsCustom;
        var caller = new CallerAccount(clients.CreateStsClient(options.Region));
        return new RegionExportService(
            clients.CreateFindingSource(),
            S3Sinks(s3, plainBodies, options.FindingsBucketOwner),
            new SsmFindingCounter(clients.CreateSsmClient(options.Region), options.CountParameterPrefix),
            caller.GetAsync,
            options,
            TimeProvider.System,
            checkpoints: options.CheckpointTable is { } table ? new DynamoDbCheckpointStore(clients.CreateDynamoDbClient(options.Region), table) : null);
    }

    /// <summary>
    /// Makes S3 sinks for destinations: SSE-KMS with the destination's key and a bucket key; <paramref name="plainBodies"/> turns off
    /// aws-chunked uploads; <paramref name="expectedBucketOwner"/> (12 digits, or null) is the account every write requires to own the bucket.
    /// </summary>
    public static Func<ExporterDestination, IPartSink> S3Sinks(IAmazonS3 s3, bool plainBodies, string? expectedBucketOwner = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        return destination => new S3PartSink(s3, new S3PartSinkOptions
        {
            BucketName = destination.Bucket!,
            KeyPrefix = KeyPrefix(destination.Prefix),
            KmsKeyId = destination.KmsKeyArn,
            UseChunkEncoding = !plainBodies,
            ExpectedBucketOwner = expectedBucketOwner,
        });
    }

    /// <summary>
    /// Exports the input's Region for at most what is left of the time budget since <paramref name="startedTimestamp"/> (from <see cref="Time"/>).
    /// An invalid input is answered <c>failed</c> with the reason; an invocation still stuck <see cref="ExporterOptions.StopGrace"/> after the
    /// budget is cancelled and answers with its last stored checkpoint.
    /// </summary>
    public async Task<ExporterOutput> ExportAsync(ExporterInput input, long startedTimestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var previous = input.Counts ?? new ExporterCounts();
        ExportRequest request;
        ExportCheckpoint? resume;
        IPartSink sink;
        try
        {
            (request, resume, sink) = await PrepareAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (ExporterInputException e)
        {
            return Failed("The exporter input is invalid: " + e.Message, previous, FailureKinds.Error);
        }

        var region = input.Region!;
        if (_checkpoints is not null)
        {
            try
            {
                resume = await LaterStoredCheckpointAsync(request, region, resume, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceCallException e)
            {
                return Failed("Reading the stored checkpoint failed: " + e.Message, previous, FailureKinds.From(e.Kind));
            }
        }

        // A slow cold start must not cost the Region its turn: page at least a moment (the stack's margin covers it).
        var left = Options.TimeBudget - Time.GetElapsedTime(startedTimestamp);
        if (left < MinimumRun)
        {
            left = MinimumRun;
        }

        request = request with { TimeBudget = left };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(left + Options.StopGrace);
        var progress = new CountProgress(this, request.ExportId, region, resume);
        // GetFindingsV2 parts hold the OCSF columns: the same format (and options) over the other table.
        var api = request.Filters.Api;
        var format = api == FindingsApi.V2 && _format is ParquetPartFormat parquet ? parquet.WithTable(FindingTable.Ocsf) : _format;
        var exporter = new RegionExporter(_source, sink, format, Options.Export, Time, _spool);

        // Stored first: once the engine goes on, parts may be stored that only this checkpoint knows about.
        async Task SaveAsync(ExportCheckpoint checkpoint, CancellationToken token)
        {
            if (_checkpoints is not null)
            {
                try
                {
                    await _checkpoints.SaveAsync(checkpoint, token).ConfigureAwait(false);
                }
                catch (ServiceCallException e)
                {
                    throw new CheckpointSaveException($"the checkpoint table ({Options.CheckpointTable})", e);
                }
            }

            await progress.SavedAsync(checkpoint, token).ConfigureAwait(false);
        }

        RegionResult result;
        try
        {
            result = await exporter.ExportAsync(request, region, resume, new ExportCallbacks { CheckpointSaved = SaveAsync }, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var last = progress.Last;
            var elapsed = (long)Time.GetElapsedTime(startedTimestamp).TotalMilliseconds;
            return last is null
                ? Failed("The invocation was stopped before it stored anything: raise the function's memory or TIME_BUDGET_SECONDS.", previous, FailureKinds.Error)
                : new ExporterOutput(ExporterOutput.InProgress, ToElement(last), Counts(last, previous, 0, 0, elapsed), HandOver: HandOver(input));
        }
        catch (ArgumentException e)
        {
            // The engine checks the checkpoint against the request (export, account, Region, filters, end).
            return Failed("The exporter input is invalid: " + e.Message, previous, FailureKinds.Error);
        }

        await progress.PublishAsync(result.Checkpoint?.Findings ?? 0, force: true, CancellationToken.None).ConfigureAwait(false);
        var counts = new ExporterCounts(
            result.Findings,
            result.Pages,
            result.Parts,
            result.Bytes,
            previous.Throttles + result.Throttles,
            previous.Retries + result.Retries,
            previous.DurationMs + (long)result.Duration.TotalMilliseconds);
        return result.Status switch
        {
            RegionStatus.InProgress => new ExporterOutput(ExporterOutput.InProgress, ToElement(result.Checkpoint!), counts, HandOver: HandOver(input)),
            RegionStatus.Complete => new ExporterOutput(RegionExportStatus.Complete, null, counts, Api: ApiName(api)),
            RegionStatus.NotEnabled => new ExporterOutput(RegionExportStatus.NotEnabled, null, counts, result.Reason, Api: ApiName(api)),
            _ => new ExporterOutput(RegionExportStatus.Failed, null, counts, result.Reason, FailureKinds.From(result.FailureKind), Api: ApiName(api)),
        };
    }

    /// <summary>
    /// The checkpoint to resume from: the stored one when it belongs to this export and is later than the input's (the previous
    /// invocation died after it stored more than it could answer with), else the input's.
    /// </summary>
    private async Task<ExportCheckpoint?> LaterStoredCheckpointAsync(ExportRequest request, string region, ExportCheckpoint? resume, CancellationToken cancellationToken)
    {
        var stored = await _checkpoints!.LoadAsync(request.ExportId, request.AccountId, region, cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Revision <= (resume?.Revision ?? -1))
        {
            return resume;
        }

        var same = resume is not null
            ? stored.IsSameExport(resume)
            : request.Until is { } until && stored.End == Instants.TruncateToMillisecond(until) && stored.FiltersFingerprint == request.Filters.Fingerprint;
        if (!same)
        {
            return resume;
        }

        await Console.Error.WriteLineAsync(
            $"info: resuming {region} from the stored checkpoint (revision {stored.Revision}), not the input's (revision {resume?.Revision.ToString(CultureInfo.InvariantCulture) ?? "none"}): the previous invocation stopped after storing more than it answered with.").ConfigureAwait(false);
        return stored;
    }

    // Written only for v2, so v1 results stay byte-for-byte what they were.
    private static string? ApiName(FindingsApi api) => api == FindingsApi.V2 ? api.Name() : null;

    /// <summary>True (else null) when the invoking execution is past its hand-over age: the Region continues in a new execution.</summary>
    private bool? HandOver(ExporterInput input) =>
        input.ExecutionStartTime is { } started && input.HandOverAfterSeconds is { } after
            && Time.GetUtcNow() - started >= TimeSpan.FromSeconds(after)
            ? true
            : null;

    private async Task<(ExportRequest Request, ExportCheckpoint? Resume, IPartSink Sink)> PrepareAsync(ExporterInput input, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (input.ExportId is null || !PartKeys.IsValidExportId(input.ExportId))
        {
            problems.Add(input.ExportId is null ? "exportId is missing" : $"exportId '{input.ExportId}' is not an export ID (1 to 64 letters, digits, '.', '_', '-')");
        }

        if (!RegionNames.IsValid(input.Region))
        {
            problems.Add(input.Region is null ? "region is missing" : $"region '{input.Region}' is not a Region name such as eu-west-1");
        }

        if (input.AccountId is not null && !AccountIds.IsValid(input.AccountId))
        {
            problems.Add($"accountId '{input.AccountId}' is not a 12-digit AWS account ID");
        }

        if (input.Until is null)
        {
            problems.Add("until is missing (the export's pinned end, an ISO-8601 instant)");
        }
        else if (input.Since is { } since && since > input.Until)
        {
            problems.Add($"since ({since:O}) is after until ({input.Until:O})");
        }

        var api = FindingsApi.V1;
        try
        {
            api = input.Api is null ? FindingsApi.V1 : FindingsApis.Parse(input.Api);
        }
        catch (ArgumentException e)
        {
            problems.Add("api: " + e.Message);
        }

        var filters = FindingFilters.NoneFor(api);
        if (input.Filters is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } filterElement)
        {
            try
            {
                filters = FindingFilters.Parse(Compact(filterElement), api);
            }
            catch (InvalidFiltersException e)
            {
                problems.Add("filters: " + e.Message);
            }
        }

        ExportCheckpoint? resume = null;
        if (input.Checkpoint is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } checkpointElement)
        {
            try
            {
                resume = ExportCheckpoint.Parse(checkpointElement.GetRawText());
            }
            catch (FormatException e)
            {
                problems.Add("checkpoint: " + e.Message);
            }
        }

        if (input.HandOverAfterSeconds is < 1)
        {
            problems.Add($"handOverAfterSeconds {input.HandOverAfterSeconds} must be at least 1 (seconds after the execution's start)");
        }

        var sink = Destination(input.Destination, problems);
        if (problems.Count > 0)
        {
            throw new ExporterInputException(problems);
        }

        string account;
        try
        {
            account = input.AccountId ?? await _callerAccount(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or HttpRequestException or ServiceCallException)
        {
            throw new ExporterInputException([$"accountId is missing and STS GetCallerIdentity failed ({e.Message}); pass accountId or check the function's credentials"]);
        }

        var request = new ExportRequest
        {
            ExportId = input.ExportId!,
            AccountId = account,
            // Only this account's findings from this Region, even where Security Hub returns more (administrator, aggregation Region).
            Filters = OwnFindingsScope.Apply(filters, account, input.Region!),
            Since = input.Since,
            Until = input.Until,
        };
        return (request, resume, sink!);
    }

    private IPartSink? Destination(ExporterDestination? destination, List<string> problems)
    {
        if (destination is null)
        {
            problems.Add("destination is missing ({\"bucket\", \"prefix\", \"kmsKeyArn\"})");
            return null;
        }

        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(destination.Bucket))
        {
            problems.Add("destination.bucket is missing");
        }

        if (destination.Prefix is not null && KeyPrefix(destination.Prefix) is null && !IsRootPrefix(destination.Prefix))
        {
            problems.Add($"destination.prefix '{destination.Prefix}' must end with '{PartKeys.Root}/': parts are written as {PartKeys.Root}/account_id=<account>/..., which is what the bucket policy allows");
        }

        if (string.IsNullOrWhiteSpace(destination.KmsKeyArn))
        {
            problems.Add("destination.kmsKeyArn is missing: the findings bucket accepts only SSE-KMS with its key");
        }

        if (problems.Count > before)
        {
            return null;
        }

        try
        {
            return _sinks(destination);
        }
        catch (ArgumentException e)
        {
            problems.Add("destination: " + e.Message);
            return null;
        }
    }

    /// <summary>The sink's own key prefix: what comes before <c>findings/</c> in the destination prefix (null when nothing does).</summary>
    private static string? KeyPrefix(string? prefix)
    {
        var root = PartKeys.Root + "/";
        if (prefix is null || !prefix.EndsWith(root, StringComparison.Ordinal))
        {
            return null;
        }

        var before = prefix[..^root.Length].Trim('/');
        return before.Length == 0 ? null : before;
    }

    private static bool IsRootPrefix(string prefix) => prefix.Length == 0 || prefix == PartKeys.Root + "/";

    private static string Compact(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonElement ToElement(ExportCheckpoint checkpoint)
    {
        using var document = JsonDocument.Parse(checkpoint.ToJson());
        return document.RootElement.Clone();
    }

    private static ExporterCounts Counts(ExportCheckpoint checkpoint, ExporterCounts previous, long throttles, long retries, long durationMs) =>
        new(checkpoint.Findings, checkpoint.Pages, checkpoint.Parts, checkpoint.Bytes, previous.Throttles + throttles, previous.Retries + retries, previous.DurationMs + durationMs);

    private static ExporterOutput Failed(string error, ExporterCounts previous, string failureKind) => new(RegionExportStatus.Failed, null, previous, error, failureKind);

    /// <summary>Remembers the last stored checkpoint and updates the SSM count at most every <see cref="ExporterOptions.CountInterval"/>.</summary>
    private sealed class CountProgress(RegionExportService owner, string exportId, string region, ExportCheckpoint? initial)
    {
        private long _lastPublished = long.MinValue;
        private long _published = -1;

        public ExportCheckpoint? Last { get; private set; } = initial;

        public async Task SavedAsync(ExportCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Last = checkpoint;
            await PublishAsync(checkpoint.Findings, force: false, cancellationToken).ConfigureAwait(false);
        }

        public async Task PublishAsync(long findings, bool force, CancellationToken cancellationToken)
        {
            var now = owner.Time.GetTimestamp();
            if (findings == _published || (!force && _lastPublished != long.MinValue && owner.Time.GetElapsedTime(_lastPublished, now) < owner.Options.CountInterval))
            {
                return;
            }

            try
            {
                await owner._counter.PublishAsync(exportId, region, findings, cancellationToken).ConfigureAwait(false);
                _published = findings;
                _lastPublished = now;
            }
            catch (ServiceCallException e)
            {
                // The count is a convenience for people; it must never fail or slow down the export itself.
                await Console.Error.WriteLineAsync($"warning: {e.Message}").ConfigureAwait(false);
            }
        }
    }
}
