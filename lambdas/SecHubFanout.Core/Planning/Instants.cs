namespace SecHubFanout.Core.Planning;

/// <summary>Millisecond arithmetic on instants, the precision of Security Hub's DateFilter.</summary>
public static class Instants
{
    /// <summary>One millisecond: the gap between one window's inclusive end and the next window's start.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <summary>Drops everything below the millisecond and converts to UTC.</summary>
    public static DateTimeOffset TruncateToMillisecond(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
