using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Export;

/// <summary>
/// Pages one window's NextToken chain into parts and advances the window's checkpoint after each stored part. A part always ends
/// on a page boundary, so the recorded token never splits a page between a stored part and memory.
/// </summary>
internal sealed class WindowPager
{
    private readonly RegionRun _run;
    private readonly UpdatedAtWindow _window;
    private readonly ReadOnlyMemory<byte> _query;
    private readonly FindingsApi _api;

    public WindowPager(RegionRun run, UpdatedAtWindow window, FindingFilters filters)
    {
        _run = run;
        _window = window;
        _query = FindingsQuery.Build(filters, window, run.Options.PageSize);
        _api = filters.Api;
    }

    /// <summary>The exact body every page of this window sends.</summary>
    public ReadOnlyMemory<byte> Query => _query;

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

        var roller = _run.CreateRoller(_window.Index);
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
                    page = await _run.FetchAsync(new FindingsRequest(_run.Region, _query, token) { Api = _api }, pagingToken).ConfigureAwait(false);
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
                    state = state with { NextToken = null, NextPartSeq = 0, Findings = 0, Pages = 0, Bytes = 0 };
                    await _run.Book.AdvanceAsync(state, storingToken).ConfigureAwait(false);
                    token = null;
                    pagesInPart = 0;
                    continue;
                }

                // The page's bytes may be a pooled buffer: valid until the page is disposed, and the encoder copies what it keeps.
                using (page)
                {
                    await roller.AddPageAsync(page.Findings, storingToken).ConfigureAwait(false);
                    pagesInPart++;
                    token = page.NextToken;
                    _run.OnPageAdded(page.Findings.Count);
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
}
