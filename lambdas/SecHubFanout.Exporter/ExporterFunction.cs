using System.Text.Json;
using SecHubFanout.Aws;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter;

/// <summary>
/// The member exporter Lambda (handler <c>SecHubFanout.Exporter::SecHubFanout.Exporter.ExporterFunction::HandleAsync</c>): exports one
/// Region of this account per invocation and answers with a checkpoint until the Region is done.
/// </summary>
public sealed class ExporterFunction
{
    private readonly Lazy<Task<RegionExportService>> _service;
    private readonly TimeProvider _time;

    /// <summary>Wires the real dependencies once per container from the environment (validated here, at cold start).</summary>
    public ExporterFunction()
    {
        var options = ExporterOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        options.Validate();
        _time = TimeProvider.System;
        _service = new(async () =>
        {
            var clients = await AwsClients.CreateAsync(new AwsClientOptions { Region = options.Region }, CancellationToken.None).ConfigureAwait(false);
            return RegionExportService.Create(clients, options);
        });
    }

    /// <summary>Uses the given service (tests, or hosts that wire their own).</summary>
    public ExporterFunction(RegionExportService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _time = service.Time;
        _service = new(Task.FromResult(service));
    }

    /// <summary>The Lambda handler: <see cref="ExporterInput"/> JSON in, <see cref="ExporterOutput"/> JSON out.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        var started = _time.GetTimestamp();
        ExporterInput? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(input, ExporterJsonContext.Default.ExporterInput).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Write(new ExporterOutput(RegionExportStatus.Failed, null, new ExporterCounts(), "The exporter input is not valid JSON in the expected shape: " + e.Message, FailureKinds.Error));
        }

        if (request is null)
        {
            return Write(new ExporterOutput(RegionExportStatus.Failed, null, new ExporterCounts(), "The exporter input is empty: send {exportId, region, until, destination, checkpoint?}.", FailureKinds.Error));
        }

        var service = await _service.Value.ConfigureAwait(false);
        var output = await service.ExportAsync(request, started, CancellationToken.None).ConfigureAwait(false);
        return Write(output);
    }

    private static MemoryStream Write(ExporterOutput output) => new(JsonSerializer.SerializeToUtf8Bytes(output, ExporterJsonContext.Default.ExporterOutput), writable: false);
}
