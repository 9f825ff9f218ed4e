using System.Text.Json.Serialization;
using SecHubFanout.Core.Checkpoints;

namespace SecHubFanout.Core.Export;

/// <summary>Source-generated JSON for the engine's own payloads: checkpoints (alone or a list, for a CLI file) and results.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExportCheckpoint))]
[JsonSerializable(typeof(List<ExportCheckpoint>))]
[JsonSerializable(typeof(RegionResult))]
[JsonSerializable(typeof(AccountResult))]
public sealed partial class ExportJsonContext : JsonSerializerContext;
