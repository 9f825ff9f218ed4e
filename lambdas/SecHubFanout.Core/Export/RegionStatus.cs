using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Export;

/// <summary>How one Region's export ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RegionStatus>))]
public enum RegionStatus
{
    /// <summary>Every window is stored.</summary>
    [JsonStringEnumMemberName("complete")]
    Complete,

    /// <summary>The time budget ran out first; resume from the checkpoint.</summary>
    [JsonStringEnumMemberName("in-progress")]
    InProgress,

    /// <summary>Security Hub is not enabled for the account in this Region; nothing to export.</summary>
    [JsonStringEnumMemberName("not-enabled")]
    NotEnabled,

    /// <summary>A non-retryable error, or retries ran out; the reason says which. The checkpoint can resume it.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
