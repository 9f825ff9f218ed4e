using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using SecHubFanout.Cdk.Stacks;

namespace SecHubFanout.Cdk;

/// <summary>Renders the member exporter template exactly as it is checked in under stackset-templates/ and shipped to StackSets.</summary>
public static class MemberTemplate
{
    /// <summary>The stack name used for the template (it appears in no resource: names come from FanoutNames).</summary>
    public const string StackName = "SecHubFanoutMemberExporter";

    /// <summary>The template file below the repository root.</summary>
    public const string RelativePath = "stackset-templates/member-exporter.template.json";

    private static readonly JsonSerializerOptions _indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Adds the member stack, configured for StackSets (no bootstrap resources, no CDK metadata), to an app.</summary>
    public static MemberExporterStack AddTo(App app) => new(app, StackName, new StackProps
    {
        Description = "SecHubFanout member exporter: exports this account's Security Hub findings into the central bucket (deployed by StackSets).",
        // StackSet instances cannot rely on a CDK bootstrap in every member account.
        Synthesizer = new DefaultStackSynthesizer(new DefaultStackSynthesizerProps { GenerateBootstrapVersionRule = false }),
        AnalyticsReporting = false,
    });

    /// <summary>Synthesizes the member stack in a throwaway app and returns the template JSON (2-space indented, trailing newline).</summary>
    public static string Render()
    {
        var outdir = Directory.CreateTempSubdirectory("sechub-fanout-member-");
        try
        {
            var app = new App(new AppProps { Outdir = outdir.FullName });
            var stack = AddTo(app);
            var assembly = app.Synth();
            var json = File.ReadAllText(assembly.GetStackArtifact(stack.ArtifactId).TemplateFullPath);
            return JsonNode.Parse(json)!.ToJsonString(_indented).ReplaceLineEndings("\n") + "\n";
        }
        finally
        {
            outdir.Delete(recursive: true);
        }
    }
}
