namespace SecHubFanout.Cli.Infrastructure;

/// <summary>Whether to draw live progress (interactive terminal) or print plain lines (pipes, CI, NO_COLOR).</summary>
internal static class ConsoleMode
{
    public static bool IsInteractive =>
        !Console.IsOutputRedirected
        && !Console.IsErrorRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";
}
