using SecHubFanout.Core.Export;

namespace SecHubFanout.Cli.Exporting;

/// <summary>The engine options every export of this CLI starts from (export, demo, bench).</summary>
internal static class CliExportOptions
{
    /// <summary>
    /// The engine's defaults with <see cref="ExportOptions.SplitWhenIdle"/> on: a CLI export either saves every checkpoint to its
    /// <c>--checkpoint</c> file before it goes on (the engine waits for the save), so a resume never starts before a split, or cannot be
    /// resumed at all; the demo and the bench never resume.
    /// </summary>
    public static ExportOptions Default => new() { SplitWhenIdle = true };
}
