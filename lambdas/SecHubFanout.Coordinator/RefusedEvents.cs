using System.Globalization;
using System.Text.Json;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>
/// Counts and logs events the coordinator refused (forged, mismatched or unknown), as one CloudWatch Embedded Metric Format line on
/// standard output: Lambda ships it to the function's log group, CloudWatch turns it into the metric <c>SecHubFanout/RefusedEvents</c>
/// (dimension <c>Reason</c>), and Logs Insights finds every refused event with its envelope. Nothing of it is stored or mailed.
/// </summary>
public sealed class RefusedEvents(TimeProvider time) : IRefusalLog
{
    /// <summary>The CloudWatch namespace of the metric.</summary>
    public const string Namespace = "SecHubFanout";

    /// <summary>The metric's name.</summary>
    public const string MetricName = "RefusedEvents";

    /// <summary>Where the lines go (standard output in Lambda; tests may swap it).</summary>
    public static TextWriter Output { get; set; } = Console.Out;

    /// <inheritdoc/>
    public void Refused(string reason, RegionResultEnvelope? envelope, string why)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var detail = envelope?.Detail is { } d ? d.GetRawText() : string.Empty;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", now.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Reason");
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            json.WriteStartObject();
            json.WriteString("Name", MetricName);
            json.WriteString("Unit", "Count");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Reason", reason);
            json.WriteNumber(MetricName, 1);
            json.WriteString("why", why);
            json.WriteString("eventId", envelope?.Id);
            json.WriteString("source", envelope?.Source);
            json.WriteString("detailType", envelope?.DetailType);
            json.WriteString("envelopeAccount", envelope?.Account);
            // The sender's words, bounded: enough to investigate, never enough to flood the log.
            json.WriteString("detail", detail.Length <= 2000 ? detail : detail[..2000] + "...");
            json.WriteString("at", now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        var line = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        lock (Output)
        {
            Output.WriteLine(line);
        }
    }
}
