using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>Source-generated serialization of the JSON request bodies the typed wire calls build.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonNodeContext : JsonSerializerContext
{
}
