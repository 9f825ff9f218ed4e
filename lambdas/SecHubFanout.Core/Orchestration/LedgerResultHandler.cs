namespace SecHubFanout.Core.Orchestration;

/// <summary>Records Region results in the ledger only (no emails, manifest or partitions): for launches from the command line.</summary>
public sealed class LedgerResultHandler : IRegionResultHandler
{
    private readonly ILedger _ledger;
    private readonly TimeProvider _time;

    /// <summary>Creates the handler over the ledger.</summary>
    public LedgerResultHandler(ILedger ledger, TimeProvider time)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Records the result and says what the ledger did.</summary>
    public async Task<RegionResultOutcome> HandleAsync(RegionExportEvent result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RegionResultOutcome(await _ledger.RecordRegionResultAsync(result, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false));
    }
}
