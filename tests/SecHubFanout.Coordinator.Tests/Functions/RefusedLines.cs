using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace SecHubFanout.Coordinator.Tests.Functions;

/// <summary>
/// Catches the metric lines <see cref="RefusedEvents"/> writes. Its output is process-wide and test classes run in parallel, so it is
/// swapped once for the whole run and each test picks its own lines by the event ID it sent.
/// </summary>
internal sealed class RefusedLines : TextWriter
{
    private static readonly Lazy<RefusedLines> _installed = new(() =>
    {
        var lines = new RefusedLines();
        RefusedEvents.Output = lines;
        return lines;
    });

    private readonly ConcurrentQueue<string> _lines = new();

    private RefusedLines()
    {
    }

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Makes sure the lines are caught from now on.</summary>
    public static void Install() => _ = _installed.Value;

    /// <summary>The metric lines written for the event with this ID, parsed.</summary>
    public static IReadOnlyList<JsonElement> For(string eventId) =>
        _installed.Value._lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == eventId)
            .ToList();

    public override void WriteLine(string? value) => _lines.Enqueue(value ?? string.Empty);

    public override void Write(char value) => throw new NotSupportedException("RefusedEvents writes whole lines");
}
