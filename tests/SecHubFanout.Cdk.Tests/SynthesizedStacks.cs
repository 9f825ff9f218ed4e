using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using SecHubFanout.Cdk;
using SecHubFanout.Cdk.Stacks;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cdk.Tests;

/// <summary>Each stack synthesized once per test run (the jsii kernel start and the synth cost seconds).</summary>
internal static class SynthesizedStacks
{
    private static readonly Lazy<SynthesizedTemplate> _member = new(() => FromJson(MemberTemplate.Render()));
    private static readonly Lazy<SynthesizedTemplate> _central = new(SynthesizeCentral);

    static SynthesizedStacks() => System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");

    /// <summary>The member exporter stack as rendered for stackset-templates/.</summary>
    public static SynthesizedTemplate Member => _member.Value;

    /// <summary>The central stack, with the repository's real Lambda packages and member template.</summary>
    public static SynthesizedTemplate Central => _central.Value;

    private static SynthesizedTemplate FromJson(string json) => new(json, Template.FromString(json), JsonNode.Parse(json)!.AsObject());

    private static SynthesizedTemplate SynthesizeCentral()
    {
        var outdir = Directory.CreateTempSubdirectory("sechub-fanout-central-");
        try
        {
            var app = new App(new AppProps { Outdir = outdir.FullName });
            var stack = CentralApp.AddCentralStack(app, ArtifactPaths.FromRepository(RepoPaths.Root), new Amazon.CDK.Environment { Account = "123456789012", Region = "eu-west-1" });
            var assembly = app.Synth();
            return FromJson(File.ReadAllText(assembly.GetStackArtifact(stack.ArtifactId).TemplateFullPath));
        }
        finally
        {
            outdir.Delete(recursive: true);
        }
    }
}

/// <summary>A synthesized template: the text, CDK's assertion view, and a JSON tree for checks the assertions cannot express.</summary>
internal sealed record SynthesizedTemplate(string Json, Template Template, JsonObject Root)
{
    public IEnumerable<KeyValuePair<string, JsonObject>> Resources(string type) =>
        Root["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => KeyValuePair.Create(r.Key, r.Value!.AsObject()));

    public JsonObject Single(string type) => Resources(type).Single().Value;

    /// <summary>Every policy statement anywhere in the template (IAM policies, roles, key, bucket, topic and bus policies).</summary>
    public IEnumerable<JsonObject> Statements()
    {
        var found = new List<JsonObject>();
        Collect(Root["Resources"]!, found);
        return found;

        static void Collect(JsonNode node, List<JsonObject> found)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["Statement"] is JsonArray statements)
                    {
                        found.AddRange(statements.Select(s => s!.AsObject()));
                    }

                    foreach (var (_, v) in o)
                    {
                        if (v is not null)
                        {
                            Collect(v, found);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        if (v is not null)
                        {
                            Collect(v, found);
                        }
                    }

                    break;
            }
        }
    }

    public static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => a.Select(x => x!.ToJsonString()).Select(s => s.Trim('"')).ToList(),
        _ => [node.ToJsonString().Trim('"')],
    };
}
