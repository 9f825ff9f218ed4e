namespace SecHubFanout.Cli;

/// <summary>The exit codes of every command, the one table scripts can trust (printed by --help, documented in the README).</summary>
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

    /// <summary>Each code with what it means, in the words of --help and the README.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Table { get; } =
    [
        (Success, "done: everything asked for completed"),
        (Failed, "some of the work failed (a Region, an account); what was done is kept, and an export resumes with --checkpoint"),
        (Usage, "bad input: the message says what is wrong and how to fix it; nothing was written"),
        (Credentials, "no credentials, or credentials rejected / access denied"),
        (Interrupted, "interrupted (Ctrl+C); an export resumes with --checkpoint"),
    ];

    /// <summary>The table as --help prints it.</summary>
    public static string HelpText =>
        "Exit codes (every command):" + string.Concat(Table.Select(row => $"\n  {row.Code,-4} {row.Meaning}")) +
        $"\nSet {Infrastructure.CommandHost.DebugVariable}=1 to print the stack trace with any error.";
}
