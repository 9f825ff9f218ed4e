using System.Text.Json.Serialization;

namespace SecHubFanout.Coordinator;

/// <summary>What the Coordinator Lambda did with one event (its output, visible in logs and tests).</summary>
/// <param name="Outcome">applied, already-terminal, nothing-pending (an ended execution had sent every result), ignored (a status that needs nothing), or refused (forged, mismatched, unknown or malformed: see <see cref="RefusedEvents"/>).</param>
/// <param name="CompletedExport">True when this event completed the export.</param>
/// <param name="ManifestLocation">The manifest, when this event completed the export.</param>
/// <param name="Error">Why the event was ignored or refused.</param>
public sealed record CoordinatorResponse(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("completedExport")] bool CompletedExport = false,
    [property: JsonPropertyName("manifestLocation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ManifestLocation = null,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary>Source-generated JSON of the Coordinator Lambda's output.</summary>
[JsonSerializable(typeof(CoordinatorResponse))]
internal sealed partial class CoordinatorJsonContext : JsonSerializerContext
{
}
