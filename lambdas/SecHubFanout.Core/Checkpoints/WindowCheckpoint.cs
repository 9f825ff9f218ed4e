using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;

namespace SecHubFanout.Core.Checkpoints;

/// <summary>How far one window got: everything before <paramref name="NextToken"/> is in stored parts <c>0 .. NextPartSeq-1</c>.</summary>
/// <param name="Index">The window's position in the plan.</param>
/// <param name="Start">The window's first instant (inclusive).</param>
/// <param name="End">The window's last instant (inclusive).</param>
/// <param name="NextToken">The token of the first page not yet in a stored part; null to start at the first page (or when done).</param>
/// <param name="NextPartSeq">The sequence number of the window's next part.</param>
/// <param name="PartSeqHighWater">One past the highest part sequence ever stored for the window, across restarts (stale keys beyond
/// <paramref name="NextPartSeq"/> are overwritten with empty parts when the window completes).</param>
/// <param name="Findings">Findings in the stored parts.</param>
/// <param name="Pages">Pages whose findings are in the stored parts.</param>
/// <param name="Bytes">Bytes of the stored parts.</param>
/// <param name="Done">True when the window's last page is stored.</param>
/// <param name="ChainEnd">When the window was split while its NextToken chain ran: the end its chain's query was built with (later
/// than <paramref name="End"/>); the chain is then read only up to <paramref name="End"/>. Null when the query ends at <paramref name="End"/>.</param>
/// <param name="SplitOff">True for a window split off another one during the export: its parts are named after its first instant,
/// which the split rule derives from the findings alone, so a rerun of the same chain writes the same keys.</param>
/// <param name="SplitAtPage">The chain's page at which the window last split (0: never): a resume that pages that part of the chain
/// again, because its parts were not yet stored, must not decide the split a second time against the narrowed end.</param>
/// <param name="ChainFirst">The <c>UpdatedAt</c> of the first finding the window's chain returned (null before its first page): the
/// density that decides splits is measured from there, not from <paramref name="Start"/>, which for the oldest window is 1970.</param>
public sealed record WindowCheckpoint(
    int Index,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? NextToken,
    int NextPartSeq,
    int PartSeqHighWater,
    long Findings,
    long Pages,
    long Bytes,
    bool Done,
    DateTimeOffset? ChainEnd = null,
    bool SplitOff = false,
    long SplitAtPage = 0,
    DateTimeOffset? ChainFirst = null)
{
    /// <summary>The state of a window not yet started.</summary>
    public static WindowCheckpoint NotStarted(UpdatedAtWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new(window.Index, window.Start, window.End, null, 0, 0, 0, 0, 0, false);
    }

    /// <summary>The window this state belongs to.</summary>
    public UpdatedAtWindow ToWindow() => new(Index, Start, End);

    /// <summary>The window the chain's query asks for: <see cref="ToWindow"/>, or the wider one the chain began with before a split.</summary>
    public UpdatedAtWindow QueryWindow() => new(Index, Start, ChainEnd ?? End);

    /// <summary>The window's name in its part keys: its index for planned windows, its first instant for split-off ones.</summary>
    public string PartName => SplitOff ? PartKeys.SplitWindowName(Start) : PartKeys.WindowName(Index);
}
