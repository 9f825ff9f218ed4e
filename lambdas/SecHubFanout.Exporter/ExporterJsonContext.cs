using System.Text.Json.Serialization;

namespace SecHubFanout.Exporter;

/// <summary>Source-generated JSON for the exporter's input and output.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(ExporterInput))]
[JsonSerializable(typeof(ExporterOutput))]
public sealed partial class ExporterJsonContext : JsonSerializerContext;
