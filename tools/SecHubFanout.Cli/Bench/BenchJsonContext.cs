using System.Text.Json.Serialization;

namespace SecHubFanout.Cli.Bench;

/// <summary>Source-generated JSON for <see cref="BenchReport"/>: snake_case names, one line.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
