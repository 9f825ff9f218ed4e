using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>
/// Sends Region results to the central bus: EventBridge <c>PutEvents</c> (JSON 1.1) with source <see cref="FanoutNames.EventSource"/>,
/// detail-type <see cref="FanoutNames.RegionResultDetailType"/> and the <see cref="RegionExportEvent"/> as detail.
/// </summary>
public sealed class EventBridgeResultPublisher : IRegionResultPublisher
{
    private readonly JsonProtocolClient _client;
    private readonly string _eventBus;
    private readonly string _region;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the publisher for a bus (its ARN for a bus in another account, or its name) in <paramref name="region"/>.</summary>
    public EventBridgeResultPublisher(JsonProtocolClient client, string eventBus, string region, ResiliencePipeline retry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventBus);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _eventBus = eventBus;
        _region = region;
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
    }

    /// <inheritdoc/>
    public async Task PublishAsync(RegionExportEvent result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var body = new JsonObject
        {
            ["Entries"] = new JsonArray(new JsonObject
            {
                ["Source"] = FanoutNames.EventSource,
                ["DetailType"] = FanoutNames.RegionResultDetailType,
                ["Detail"] = JsonSerializer.Serialize(result, OrchestrationJsonContext.Default.RegionExportEvent),
                ["EventBusName"] = _eventBus,
            }),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, JsonNodeContext.Default.JsonObject);
        var context = new AwsCallContext(AwsService.EventBridge, _region, "PutEvents");
        await _retry.ExecuteAsync(
            async ct =>
            {
                var answer = JsonNode.Parse(await _client.InvokeAsync(context, bytes, ct).ConfigureAwait(false));
                if ((answer?["FailedEntryCount"]?.GetValue<int>() ?? 0) > 0)
                {
                    var entry = answer?["Entries"]?.AsArray().FirstOrDefault();
                    var code = entry?["ErrorCode"]?.GetValue<string>();
                    throw new ServiceCallException(
                        code == "ThrottlingException" ? ServiceErrorKind.Throttled : ServiceErrorKind.Transient,
                        $"EventBridge did not accept the result of {result.AccountId} {result.Region} for bus {_eventBus}: {code} {entry?["ErrorMessage"]?.GetValue<string>()}",
                        code);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }
}
