namespace SecHubFanout.Cli.Analytics;

/// <summary>A user error in local analytics (no data, bad SQL): its message is shown as is, without a stack trace.</summary>
internal sealed class AnalyticsInputException(string message, Exception? inner = null) : Exception(message, inner);
