using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SecHubFanout.TestSupport;

/// <summary>
/// <c>Security Hub Findings - Imported</c> events in the shape of AWS's documented sample (Security Hub CSPM User Guide, "EventBridge
/// event formats for Security Hub CSPM": version, id, detail-type, source, account, time, region, resources, detail.findings[one
/// finding]), and the SQS batch events Lambda's event source mapping delivers them in.
/// </summary>
public static class FindingEventSamples
{
    /// <summary>An event holding <paramref name="finding"/> (raw JSON, inserted byte for byte) as received by <paramref name="account"/> in <paramref name="region"/>.</summary>
    public static byte[] Event(byte[] finding, string eventId, string account, string region, DateTimeOffset time, string? findingId = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var resource = findingId ?? ReadId(finding);
        var head = "{\n   \"version\":\"0\",\n"
            + $"   \"id\":\"{eventId}\",\n"
            + "   \"detail-type\":\"Security Hub Findings - Imported\",\n"
            + "   \"source\":\"aws.securityhub\",\n"
            + $"   \"account\":\"{account}\",\n"
            + $"   \"time\":\"{time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\",\n"
            + $"   \"region\":\"{region}\",\n"
            + $"   \"resources\":[\n      {JsonSerializer.Serialize(resource)}\n   ],\n"
            + "   \"detail\":{\n      \"findings\": [";
        const string tail = "]\n   }\n}";
        return [.. Encoding.UTF8.GetBytes(head), .. finding, .. Encoding.UTF8.GetBytes(tail)];
    }

    /// <summary>The SQS batch event of Lambda's event source mapping, one record per (messageId, body).</summary>
    public static byte[] SqsBatch(IEnumerable<(string MessageId, byte[] Body)> messages, string queueArn = "arn:aws:sqs:us-east-1:111122223333:sechub-fanout-stream")
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var (id, body) in messages)
            {
                json.WriteStartObject();
                json.WriteString("messageId", id);
                json.WriteString("receiptHandle", "AQEB" + id);
                json.WriteString("body", Encoding.UTF8.GetString(body));
                json.WriteStartObject("attributes");
                json.WriteString("ApproximateReceiveCount", "1");
                json.WriteString("SentTimestamp", "1764703937000");
                json.WriteString("SenderId", "AIDAIENQZJOLO23YVJ4VO");
                json.WriteString("ApproximateFirstReceiveTimestamp", "1764703937010");
                json.WriteEndObject();
                json.WriteStartObject("messageAttributes");
                json.WriteEndObject();
#pragma warning disable CA5351 // SQS's own checksum of the body is MD5; nothing here relies on it.
                json.WriteString("md5OfBody", Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(body)));
#pragma warning restore CA5351
                json.WriteString("eventSource", "aws:sqs");
                json.WriteString("eventSourceARN", queueArn);
                json.WriteString("awsRegion", queueArn.Split(':')[3]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The <c>Id</c> of a raw finding.</summary>
    public static string ReadId(byte[] finding)
    {
        using var document = JsonDocument.Parse(finding);
        return document.RootElement.GetProperty("Id").GetString()!;
    }
}
