using System.Globalization;

namespace SecHubFanout.Core.Planning;

/// <summary>One slice of an export: findings whose <c>UpdatedAt</c> lies in [<paramref name="Start"/>, <paramref name="End"/>], both inclusive, millisecond precision.</summary>
/// <param name="Index">Position in the plan, oldest first; it names the window's parts.</param>
/// <param name="Start">First instant taken (inclusive).</param>
/// <param name="End">Last instant taken (inclusive): the next window starts one millisecond later.</param>
public sealed record UpdatedAtWindow(int Index, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The instant format Security Hub's DateFilter takes: UTC, milliseconds, <c>Z</c>.</summary>
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>True when <paramref name="instant"/> falls in this window.</summary>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant <= End;

    /// <summary>Formats an instant the way the window is sent (UTC, milliseconds).</summary>
    public static string FormatInstant(DateTimeOffset instant) => instant.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => $"window {Index} [{FormatInstant(Start)} .. {FormatInstant(End)}]";
}
