using SecHubFanout.TestSupport;

namespace SecHubFanout.Coordinator.Tests;

/// <summary>
/// One dynalite for the whole test assembly, so the ledger test classes do not each start a server; every test still makes
/// a table of its own (<see cref="LedgerFixture.CreateLedgerAsync"/>), so tests running in parallel do not see each other.
/// </summary>
[TestClass]
public static class SharedLedger
{
    /// <summary>The assembly's dynalite and its client.</summary>
    public static LedgerFixture Fixture { get; private set; } = null!;

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        Fixture = await LedgerFixture.StartAsync();
    }

    [AssemblyCleanup]
    public static async Task StopAsync() => await Fixture.DisposeAsync();
}
