using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>The EventBridge envelope in which a <see cref="RegionExportEvent"/> reaches the coordinator (only the fields it reads).</summary>
/// <param name="Id">The event's ID.</param>
/// <param name="Source">The event source (expected <see cref="Deployment.FanoutNames.EventSource"/>).</param>
/// <param name="DetailType">The detail-type (expected <see cref="Deployment.FanoutNames.RegionResultDetailType"/>).</param>
/// <param name="Account">The account that sent the event.</param>
/// <param name="Time">When the event was sent.</param>
/// <param name="Detail">The Region result.</param>
public sealed record RegionResultEnvelope(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("detail-type")] string? DetailType,
    [property: JsonPropertyName("account")] string? Account,
    [property: JsonPropertyName("time")] DateTimeOffset? Time,
    [property: JsonPropertyName("detail")] RegionExportEvent? Detail);
