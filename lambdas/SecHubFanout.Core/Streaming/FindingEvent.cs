namespace SecHubFanout.Core.Streaming;

/// <summary>One finding taken from a <c>Security Hub Findings - Imported</c> event, with the envelope fields that place it.</summary>
/// <param name="EventId">The event's <c>id</c> (kept by EventBridge across redeliveries).</param>
/// <param name="EventAccount">The envelope's <c>account</c>: the account whose bus received the event.</param>
/// <param name="EventRegion">The envelope's <c>region</c>.</param>
/// <param name="EventTime">The envelope's <c>time</c>, UTC: it names the hourly stream partition.</param>
/// <param name="AccountId">The finding's own <c>AwsAccountId</c>.</param>
/// <param name="Region">The finding's own <c>Region</c>.</param>
/// <param name="Index">The finding's position in <c>detail.findings[]</c> (always 0 today: each event carries one finding).</param>
/// <param name="Finding">The finding's JSON, byte for byte as it stood in <c>detail.findings[]</c>.</param>
public sealed record FindingEvent(
    string EventId,
    string EventAccount,
    string EventRegion,
    DateTimeOffset EventTime,
    string AccountId,
    string Region,
    int Index,
    ReadOnlyMemory<byte> Finding);
