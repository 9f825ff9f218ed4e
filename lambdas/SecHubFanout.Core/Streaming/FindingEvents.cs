using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;

namespace SecHubFanout.Core.Streaming;

/// <summary>
/// Reads <c>Security Hub Findings - Imported</c> events (source <c>aws.securityhub</c>; <c>detail.findings</c> holds the ASFF finding):
/// the envelope fields that place a finding, and each finding's bytes exactly as delivered.
/// </summary>
public static class FindingEvents
{
    /// <summary>The events' <c>source</c>.</summary>
    public const string Source = "aws.securityhub";

    /// <summary>The events' <c>detail-type</c>.</summary>
    public const string DetailType = "Security Hub Findings - Imported";

    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 256 };

    /// <summary>The findings of one event, or <see cref="InvalidFindingEventException"/> saying what is wrong with it.</summary>
    /// <param name="body">The event, UTF-8 JSON.</param>
    public static IReadOnlyList<FindingEvent> Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, _options);
        }
        catch (JsonException e)
        {
            throw new InvalidFindingEventException($"The message is not a JSON event ({e.Message}). The stream queue takes only EventBridge events of Security Hub findings.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidFindingEventException("The message is not a JSON object. The stream queue takes only EventBridge events of Security Hub findings.");
            }

            var source = Text(root, "source");
            var detailType = Text(root, "detail-type");
            if (source != Source || detailType != DetailType)
            {
                throw new InvalidFindingEventException(
                    $"The event's source is '{source}' and its detail-type '{detailType}': only '{Source}' / '{DetailType}' events are written. Fix the rule that feeds the stream queue.");
            }

            var id = Text(root, "id");
            var account = Text(root, "account");
            var region = Text(root, "region");
            var timeText = Text(root, "time");
            if (string.IsNullOrEmpty(id) || !AccountIds.IsValid(account) || string.IsNullOrEmpty(region))
            {
                throw new InvalidFindingEventException($"The event lacks a usable id, account or region (id '{id}', account '{account}', region '{region}').");
            }

            if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new InvalidFindingEventException($"Event {id}: time '{timeText}' is not an ISO 8601 time.");
            }

            if (!root.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object
                || !detail.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array || findings.GetArrayLength() == 0)
            {
                throw new InvalidFindingEventException($"Event {id} has no detail.findings array with a finding in it.");
            }

            var fields = new FindingFields();
            var result = new List<FindingEvent>(findings.GetArrayLength());
            var index = 0;
            foreach (var finding in findings.EnumerateArray())
            {
                // The finding's own bytes inside the event: not re-serialized, so the finding column is the finding as delivered.
                var raw = JsonMarshal.GetRawUtf8Value(finding).ToArray();
                try
                {
                    FindingFieldReader.Read(raw, fields, index);
                    PartKeys.ValidateSegments(StreamExportIds.For(time), fields.AwsAccountId ?? string.Empty, fields.Region ?? string.Empty);
                }
                catch (Exception e) when (e is InvalidFindingException or ArgumentException)
                {
                    throw new InvalidFindingEventException($"Event {id}, finding {index}: {e.Message}", e);
                }

                result.Add(new FindingEvent(id, account!, region!, time, fields.AwsAccountId!, fields.Region!, index, raw));
                index++;
            }

            return result;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
