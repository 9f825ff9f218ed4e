using System.Text.Json.Nodes;

namespace SecHubFanout.Cdk.Tests;

/// <summary>Lookups into the synthesized central stack that several test classes share.</summary>
internal static class CentralTemplate
{
    public const string LauncherType = "SecHubFanout.Coordinator.LauncherFunction";
    public const string CoordinatorType = "SecHubFanout.Coordinator.CoordinatorFunction";
    public const string ReconcilerType = "SecHubFanout.Coordinator.ReconcilerFunction";

    public static SynthesizedTemplate Central => SynthesizedStacks.Central;

    public static string KeyId => Central.Resources("AWS::KMS::Key").Single().Key;

    public static KeyValuePair<string, JsonObject> FindingsBucket() =>
        Central.Resources("AWS::S3::Bucket").Single(b => b.Value["Properties"]!["BucketEncryption"]!.ToJsonString().Contains("aws:kms", StringComparison.Ordinal));

    public static List<JsonObject> BucketPolicyStatements(string bucketId)
    {
        var policy = Central.Resources("AWS::S3::BucketPolicy").Single(p => (string?)p.Value["Properties"]!["Bucket"]!["Ref"] == bucketId);
        return policy.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
    }

    public static JsonObject KeyStatement(string sid) =>
        Central.Single("AWS::KMS::Key")["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == sid)!.AsObject();

    public static KeyValuePair<string, JsonObject> OurFunction(string type) =>
        Central.Resources("AWS::Lambda::Function").Single(f => (string?)f.Value["Properties"]!["Handler"] == $"SecHubFanout.Coordinator::{type}::HandleAsync");

    public static string RoleOf(string type) => OurFunction(type).Value["Properties"]!["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>();

    public static Dictionary<string, JsonObject> PolicyStatementsOf(string roleId) =>
        Central.Resources("AWS::IAM::Policy")
            .Where(p => p.Value["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => p.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))
            .ToDictionary(s => (string)s["Sid"]!);

    /// <summary>A rendered string value, with the Fn::Join of pseudo parameters flattened (<c>${AWS::Region}</c> style) for readable comparisons.</summary>
    public static string Flat(JsonNode? node) => node switch
    {
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Concat(join[1]!.AsArray().Select(Flat)),
        JsonObject o when o["Ref"] is JsonNode r => "${" + (string)r! + "}",
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => "${" + (string)a[0]! + "." + (string)a[1]! + "}",
        JsonValue v => v.ToString(),
        null => string.Empty,
        _ => node.ToJsonString(),
    };

    public static List<string> FlatAll(JsonNode? node) => node is JsonArray a ? a.Select(Flat).ToList() : [Flat(node)];

    public static void AssertStatement(JsonObject statement, string[] actions, string resourceContains, bool conditioned = false)
    {
        Assert.AreEqual("Allow", (string?)statement["Effect"], statement.ToJsonString());
        Assert.AreEqual(conditioned, statement["Condition"] is not null, statement.ToJsonString());
        CollectionAssert.AreEquivalent(actions, SynthesizedTemplate.Strings(statement["Action"]).ToList(), statement.ToJsonString());
        var resources = statement["Resource"] is JsonArray many ? many.Select(r => r!.ToJsonString()).ToList() : [statement["Resource"]!.ToJsonString()];
        Assert.IsTrue(resources.All(r => r.Contains(resourceContains, StringComparison.Ordinal)), $"{statement["Sid"]}: {string.Join(", ", resources)} should all contain {resourceContains}");
    }
}
