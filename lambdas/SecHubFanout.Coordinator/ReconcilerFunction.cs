using System.Text.Json.Serialization;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>
/// The Reconciler Lambda, run on a schedule (EventBridge Scheduler, every few minutes): one <see cref="ExportReconciler"/> pass over
/// the open exports (complete what is finished, fail Regions silent past the deadline, repair counters, mail failure digests). Its
/// input is ignored; its output is the pass's <see cref="ReconcileReport"/>.
/// </summary>
public sealed class ReconcilerFunction
{
    private readonly Lazy<Task<ExportReconciler>> _reconciler;
    private readonly TimeSpan _budget;

    /// <summary>Wires the real dependencies from the environment (validated here, at cold start).</summary>
    public ReconcilerFunction()
    {
        var options = CentralOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        _reconciler = new(async () => (await CentralServices.CreateAsync(options, CancellationToken.None).ConfigureAwait(false)).Reconciler);
        _budget = options.HandlerBudget;
    }

    /// <summary>Uses the given reconciler (tests, or hosts that wire their own).</summary>
    public ReconcilerFunction(ExportReconciler reconciler)
    {
        ArgumentNullException.ThrowIfNull(reconciler);
        _reconciler = new(Task.FromResult(reconciler));
        _budget = CentralOptions.BudgetFor(CentralOptions.DefaultCoordinatorTimeout);
    }

    /// <summary>The Lambda handler: any input, <see cref="ReconcileReport"/> JSON out.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var cts = new CancellationTokenSource(_budget);
        var reconciler = await _reconciler.Value.ConfigureAwait(false);
        var report = await reconciler.RunAsync(cts.Token).ConfigureAwait(false);
        return HandlerJson.Write(report, ReconcilerJsonContext.Default.ReconcileReport);
    }
}

/// <summary>Source-generated JSON of the Reconciler Lambda's output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReconcileReport))]
internal sealed partial class ReconcilerJsonContext : JsonSerializerContext
{
}
