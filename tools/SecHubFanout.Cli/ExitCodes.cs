namespace SecHubFanout.Cli;

/// <summary>Exit codes that scripts can trust (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>The work ran but some of it failed (for example a Region failed); what was done is kept and resumable.</summary>
    public const int Failed = 1;

    /// <summary>Bad input (options, filters, paths): rejected before anything was written.</summary>
    public const int Usage = 2;

    /// <summary>No credentials, or access denied.</summary>
    public const int Credentials = 3;

    /// <summary>Interrupted (Ctrl+C); a checkpoint, when given, allows resuming.</summary>
    public const int Interrupted = 130;
}
