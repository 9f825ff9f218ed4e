using System.Text.Json.Serialization;

namespace SecHubFanout.Cli.Bench;

/// <summary>Source-generated JSON for <see cref="BenchReport"/> and the memory-scaling child's <see cref="MemoryProbeReport"/>: snake_case names, one line.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(MemoryProbeReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
