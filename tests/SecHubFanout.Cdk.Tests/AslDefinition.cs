using System.Diagnostics;
using System.Text.Json.Nodes;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cdk.Tests;

/// <summary>Turns a synthesized DefinitionString into plain ASL (intrinsics replaced by placeholders) and runs asl-validator on it.</summary>
internal static class AslDefinition
{
    private const string Account = "111122223333";
    private const string Region = "eu-west-1";

    /// <summary>Resolves Fn::Join/Ref/GetAtt in a DefinitionString; parameters resolve to their Default or a placeholder ARN.</summary>
    public static JsonObject Resolve(JsonNode definitionString, JsonObject templateParameters) =>
        JsonNode.Parse(ResolveString(definitionString, templateParameters))!.AsObject();

    /// <summary>Runs tests/tools/node_modules/.bin/asl-validator on a definition; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Validate(JsonObject asl)
    {
        var file = Path.Combine(Path.GetTempPath(), $"asl-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, asl.ToJsonString());
        try
        {
            var info = new ProcessStartInfo(Path.Combine(RepoPaths.ToolsDir, "node_modules", ".bin", "asl-validator"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("--json-path");
            info.ArgumentList.Add(file);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string ResolveString(JsonNode node, JsonObject parameters) =>
        new Intrinsics(
            Account,
            Region,
            name => parameters[name] is JsonObject p ? p["Default"]?.ToString() ?? $"arn:aws:events:{Region}:{Account}:event-bus/{name}" : $"arn:aws:states:{Region}:{Account}:stateMachine:{name}",
            getAtt => $"arn:aws:lambda:{Region}:{Account}:function:{getAtt[0]}").Resolve(node);
}
