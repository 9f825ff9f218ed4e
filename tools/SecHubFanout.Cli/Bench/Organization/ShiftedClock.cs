namespace SecHubFanout.Cli.Bench.Organization;

/// <summary>The system clock moved forward by hand, so the benchmark can let hours pass for the reconciler in a few seconds.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
