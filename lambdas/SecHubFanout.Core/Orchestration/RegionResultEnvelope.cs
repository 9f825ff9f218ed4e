using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// The EventBridge envelope in which events reach the coordinator (only the fields it reads): a Region result
/// (<see cref="RegionExportEvent"/> detail) or a member execution's status change. <see cref="Account"/> is set by EventBridge from the
/// sender's credentials and cannot be forged; the detail is whatever the sender wrote.
/// </summary>
/// <param name="Id">The event's ID.</param>
/// <param name="Source">The event source.</param>
/// <param name="DetailType">The detail-type.</param>
/// <param name="Account">The account that sent the event.</param>
/// <param name="Time">When the event was sent.</param>
/// <param name="Detail">The detail, unread.</param>
public sealed record RegionResultEnvelope(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("detail-type")] string? DetailType,
    [property: JsonPropertyName("account")] string? Account,
    [property: JsonPropertyName("time")] DateTimeOffset? Time,
    [property: JsonPropertyName("detail")] JsonElement? Detail);
