using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Export;

/// <summary>
/// Pages one window's NextToken chain into parts and advances the window's checkpoint after each stored part. A part always ends
/// on a page boundary, so the recorded token never splits a page between a stored part and memory. A window that turns out large
/// splits: the chain goes on up to a new, earlier end and the rest of the range becomes a new window (see <see cref="ExportOptions.SplitAfterPages"/>).
/// </summary>
internal sealed class WindowPager
{
    private readonly RegionRun _run;
    private readonly UpdatedAtWindow _window;
    private readonly string _partName;
    private readonly FindingFilters _filters;
    private ReadOnlyMemory<byte> _query;
    private double _pagesLeft = double.NaN;
    private int _splitRequested;

    public WindowPager(RegionRun run, WindowCheckpoint window, FindingFilters filters)
    {
        _run = run;
        _window = window.ToWindow();
        _partName = window.PartName;
        _filters = filters;
        _query = FindingsQuery.Build(filters, window.QueryWindow(), run.Options.PageSize);
    }

    /// <summary>The exact body every page of this window sends.</summary>
    public ReadOnlyMemory<byte> Query => _query;

    /// <summary>The pages this chain still has to read, estimated from the density of the findings read so far (NaN before the first page).</summary>
    public double PagesLeft => Volatile.Read(ref _pagesLeft);

    /// <summary>True while a split asked for by <see cref="RequestSplit"/> has not been decided yet.</summary>
    public bool SplitRequested => Volatile.Read(ref _splitRequested) != 0;

    /// <summary>
    /// Asks the chain to split at its next page (see <see cref="ExportOptions.SplitWhenIdle"/>): halfway between the newest finding read
    /// and its end, the rest becoming a new window. The chain announces the outcome on the run's news either way.
    /// </summary>
    public void RequestSplit() => Volatile.Write(ref _splitRequested, 1);

    /// <summary>Pages until the window is done or the time budget ends (then the open part is sealed first).</summary>
    /// <param name="pagingToken">Cancels fetching: the host, a failed sibling window, or the deadline.</param>
    /// <param name="storingToken">Cancels storing: the host or a failed sibling window, not the deadline (a part is still sealed after it).</param>
    public async Task RunAsync(CancellationToken pagingToken, CancellationToken storingToken)
    {
        var state = _run.Book[_window.Index];
        if (state.Done)
        {
            return;
        }

        var roller = _run.CreateRoller(_partName);
        await using (roller.ConfigureAwait(false))
        {
            var token = state.NextToken;
            var pagesInPart = 0;
            var restarts = 0;
            while (true)
            {
                if (_run.Deadline.IsCancellationRequested)
                {
                    await SealAsync(roller, token, pagesInPart, windowEnded: false, storingToken).ConfigureAwait(false);
                    return;
                }

                FindingPage page;
                try
                {
                    page = await _run.FetchAsync(new FindingsRequest(_run.Region, _query, token) { Api = _filters.Api }, pagingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_run.Deadline.IsCancellationRequested && !storingToken.IsCancellationRequested)
                {
                    await SealAsync(roller, token, pagesInPart, windowEnded: false, storingToken).ConfigureAwait(false);
                    return;
                }
                catch (ServiceCallException e) when (e.Kind == ServiceErrorKind.InvalidNextToken && token is not null)
                {
                    if (++restarts > _run.Options.MaxWindowRestarts)
                    {
                        throw new ServiceCallException(
                            ServiceErrorKind.InvalidNextToken,
                            $"{_window} restarted {_run.Options.MaxWindowRestarts} times after invalid NextTokens and was rejected again: {e.Message}",
                            e.ErrorCode,
                            e.StatusCode,
                            e);
                    }

                    // The chain is lost (expired token, or the service says the query changed): page the window again from its
                    // first page and rewrite its parts from sequence 0; the high-water mark remembers keys that may need blanking.
                    _run.OnOpenFindingsClosed(roller.Count);
                    await roller.DiscardAsync().ConfigureAwait(false);
                    _run.OnRestart();

                    // The new chain asks for the window as it is now (narrower if it was split), so none of its pages needs trimming.
                    state = state with { NextToken = null, NextPartSeq = 0, Findings = 0, Pages = 0, Bytes = 0, ChainEnd = null, SplitAtPage = 0, ChainFirst = null };
                    _query = FindingsQuery.Build(_filters, state.ToWindow(), _run.Options.PageSize);
                    await _run.Book.AdvanceAsync(state, storingToken).ConfigureAwait(false);
                    token = null;
                    pagesInPart = 0;
                    continue;
                }

                // The page's bytes may be a pooled buffer: valid until the page is disposed, and the encoder copies what it keeps.
                using (page)
                {
                    var findings = page.Findings;
                    token = page.NextToken;
                    if (state.ChainEnd is not null && findings.Count > 0 && !(InstantOf(findings[^1]) <= state.End))
                    {
                        // The chain asks for more than the window kept when it split: findings past the window's end belong to the window
                        // split off, and the chain is in UpdatedAt order, so every later page does too.
                        (findings, var crossedEnd) = WithinEnd(findings, state.End);
                        if (crossedEnd)
                        {
                            token = null;
                        }
                    }

                    await roller.AddPageAsync(findings, storingToken).ConfigureAwait(false);
                    pagesInPart++;
                    _run.OnPageAdded(findings.Count);
                    var chainPages = state.Pages + pagesInPart;
                    if (state.ChainFirst is null && chainPages == 1 && findings.Count > 0 && InstantOf(findings[0]) is { } first)
                    {
                        state = state with { ChainFirst = Instants.TruncateToMillisecond(first) };
                    }

                    var newest = Newest(findings);
                    var from = state.ChainFirst ?? state.Start;
                    var pagesLeft = token is null ? 0 : EstimatePagesLeft(chainPages, newest, from, state.End);
                    Volatile.Write(ref _pagesLeft, pagesLeft);
                    _run.OnEstimate();
                    var requested = Interlocked.Exchange(ref _splitRequested, 0) != 0;
                    var newEnd = token is null ? null
                        : chainPages > state.SplitAtPage && SplitPoint(chainPages, pagesLeft, newest, state.End) is { } due ? due
                        : requested ? Halfway(newest, state.End)
                        : null;
                    if (newEnd is { } splitAt)
                    {
                        var narrowed = state with { End = splitAt, ChainEnd = state.ChainEnd ?? state.End, SplitAtPage = chainPages };
                        var rest = await _run.Book.SplitAsync(narrowed, state.End, storingToken).ConfigureAwait(false);
                        state = narrowed;
                        Volatile.Write(ref _pagesLeft, EstimatePagesLeft(chainPages, newest, from, state.End));
                        _run.OnSplitOff(rest);
                    }
                    else if (requested)
                    {
                        _run.OnSplitDeclined();
                    }
                }

                if (token is null)
                {
                    await SealAsync(roller, token, pagesInPart, windowEnded: true, storingToken).ConfigureAwait(false);
                    return;
                }

                if (roller.IsFull)
                {
                    await SealAsync(roller, token, pagesInPart, windowEnded: false, storingToken).ConfigureAwait(false);
                    pagesInPart = 0;
                }
            }
        }

        async Task SealAsync(PartRoller roller, string? nextToken, int pages, bool windowEnded, CancellationToken cancellationToken)
        {
            if (roller.Count > 0)
            {
                var sequence = state.NextPartSeq;
                if (sequence + 1 > state.PartSeqHighWater)
                {
                    // Recorded before the put: a crash after the put must still know this key may exist.
                    state = state with { PartSeqHighWater = sequence + 1 };
                    await _run.Book.AdvanceAsync(state, cancellationToken).ConfigureAwait(false);
                }

                var count = roller.Count;
                var stored = await roller.SealAsync(sequence, cancellationToken).ConfigureAwait(false);
                _run.OnOpenFindingsClosed(count);
                state = state with
                {
                    NextToken = nextToken,
                    NextPartSeq = sequence + 1,
                    Findings = state.Findings + stored.Findings,
                    Pages = state.Pages + pages,
                    Bytes = state.Bytes + stored.Bytes,
                };
            }
            else if (pages > 0)
            {
                // Pages without findings: moving past them loses nothing.
                state = state with { NextToken = nextToken, Pages = state.Pages + pages };
            }
            else if (!windowEnded)
            {
                return;
            }

            if (windowEnded)
            {
                // An earlier run of this window (before a restart, or before a crash) may have stored more parts than this one:
                // replace them with empty parts so no finding appears twice.
                for (var stale = state.NextPartSeq; stale < state.PartSeqHighWater; stale++)
                {
                    await roller.StoreEmptyAsync(stale, cancellationToken).ConfigureAwait(false);
                }

                state = state with { NextToken = null, Done = true };
            }

            await _run.Book.AdvanceAsync(state, cancellationToken).ConfigureAwait(false);
            _run.Report();
        }
    }

    // The rule that splits a window, from the findings alone so that a rerun of the same chain (a resume, or a retry after a crash
    // that lost the checkpoint) splits at the same instant and writes the same keys: every SplitAfterPages pages of the chain, when
    // the density read so far says at least that many pages remain, the window ends halfway between the newest finding read and its
    // end. The density is measured from the chain's first finding (deterministic too: the same chain returns the same first page).
    // Null when it does not split here.
    private DateTimeOffset? SplitPoint(long chainPages, double pagesLeft, DateTimeOffset? newest, DateTimeOffset end)
    {
        var every = _run.Options.SplitAfterPages;
        if (every <= 0 || chainPages % every != 0 || !(pagesLeft >= every))
        {
            return null;
        }

        return Halfway(newest, end);
    }

    // The instant the window is cut on (UpdatedAt, or finding_info.modified_time_dt for GetFindingsV2); null when unreadable.
    private DateTimeOffset? InstantOf(ReadOnlyMemory<byte> finding) => FindingInstants.ReadWindowInstant(finding.Span, _filters.Api);

    // The newest instant a page reached (the chain is in window-field order, so its last finding's), to the millisecond; null when unreadable.
    private DateTimeOffset? Newest(IReadOnlyList<ReadOnlyMemory<byte>> page) =>
        page.Count > 0 && InstantOf(page[^1]) is { } newest ? Instants.TruncateToMillisecond(newest) : null;

    // Pages left after chainPages pages that went from `from` to newest, if the rest of the window is as dense as what was read.
    private static double EstimatePagesLeft(long chainPages, DateTimeOffset? newest, DateTimeOffset from, DateTimeOffset end)
    {
        if (newest is not { } at)
        {
            return double.NaN;
        }

        var read = Math.Max(1, (at - from).TotalMilliseconds + 1);
        var left = Math.Max(0, (end - at).TotalMilliseconds);
        return chainPages * left / read;
    }

    // Halfway between the newest instant read and the window's end; null when fewer than 2 ms are left (nothing to split off).
    private static DateTimeOffset? Halfway(DateTimeOffset? newest, DateTimeOffset end)
    {
        if (newest is not { } at)
        {
            return null;
        }

        var left = (end - at).TotalMilliseconds;
        return left < 2 ? null : at + TimeSpan.FromMilliseconds(Math.Floor(left / 2));
    }

    // The findings of a page that lie within the window's end (a finding whose instant cannot be read stays: the service put it in
    // this chain, and no other window's query can return it), and whether any lay past it.
    private (IReadOnlyList<ReadOnlyMemory<byte>> Within, bool CrossedEnd) WithinEnd(IReadOnlyList<ReadOnlyMemory<byte>> findings, DateTimeOffset end)
    {
        var within = new List<ReadOnlyMemory<byte>>(findings.Count);
        var crossed = false;
        foreach (var finding in findings)
        {
            if (InstantOf(finding) is { } instant && instant > end)
            {
                crossed = true;
            }
            else
            {
                within.Add(finding);
            }
        }

        return (within, crossed);
    }
}
