using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>Source-generated JSON for the orchestration payloads: Region results, their envelope, member input, launch requests, manifests.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(RegionExportEvent))]
[JsonSerializable(typeof(RegionResultEnvelope))]
[JsonSerializable(typeof(MemberExecutionInput))]
[JsonSerializable(typeof(LaunchRequest))]
[JsonSerializable(typeof(LaunchResult))]
[JsonSerializable(typeof(RegionResultOutcome))]
[JsonSerializable(typeof(ExportSummary))]
[JsonSerializable(typeof(RegionRecord))]
[JsonSerializable(typeof(AccountTally))]
[JsonSerializable(typeof(FailurePage))]
public sealed partial class OrchestrationJsonContext : JsonSerializerContext
{
}
