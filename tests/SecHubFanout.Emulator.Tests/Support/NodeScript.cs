using System.Diagnostics;
using System.Text.Json;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Emulator.Tests.Support;

/// <summary>Runs a script of tests/tools/fidelity (AWS's JavaScript SDK) with one JSON argument and returns the JSON it prints.</summary>
internal static class NodeScript
{
    public static async Task<JsonElement> RunAsync(string script, object arguments)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(RepoPaths.ToolsDir, "fidelity"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(JsonSerializer.Serialize(arguments));
        // The SDK warns about Node 20 on every start; the tests read stdout only.
        info.Environment["NODE_NO_WARNINGS"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.AreEqual(0, process.ExitCode, $"node {script} failed: {await stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
