using System.Diagnostics;
using System.Text.Json.Nodes;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cdk.Tests;

/// <summary>
/// Executes an ASL definition in the npm package aws-local-stepfunctions (tests/tools/run-state-machine.mjs, patched at install)
/// with every Task answered by a <see cref="StateMachineScenario"/>, and returns what happened.
/// </summary>
internal static class LocalStepFunctions
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(1);

    public static LocalExecution Run(JsonObject definition, JsonNode input, StateMachineScenario scenario)
    {
        var folder = Directory.CreateTempSubdirectory("sechub-fanout-sfn-");
        try
        {
            var definitionFile = Write(folder, "definition.json", definition);
            var inputFile = Write(folder, "input.json", input);
            var scenarioFile = Write(folder, "scenario.json", scenario.ToJson());
            var info = new ProcessStartInfo("node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.ToolsDir,
            };
            foreach (var argument in new[] { Path.Combine(RepoPaths.ToolsDir, "run-state-machine.mjs"), definitionFile, inputFile, scenarioFile })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new AssertFailedException($"run-state-machine.mjs did not finish within {_timeout}");
            }

            if (process.ExitCode != 0)
            {
                throw new AssertFailedException($"run-state-machine.mjs exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
            }

            return new LocalExecution(JsonNode.Parse(stdout.Result)!.AsObject());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Write(DirectoryInfo folder, string name, JsonNode content)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, content.ToJsonString());
        return path;
    }
}

/// <summary>What one local execution did: its end, every Task call, every PutEvents entry and StartExecution, retries and catches.</summary>
internal sealed class LocalExecution(JsonObject record)
{
    public string Status => (string)record["status"]!;

    public JsonObject Output => record["output"]?.AsObject() ?? throw new AssertFailedException("the execution has no output: " + record["error"]?.ToJsonString());

    public JsonObject? Error => record["error"]?.AsObject();

    /// <summary>Every Task call in the order made: {state, resource, input, rule, call, returned | threw}.</summary>
    public IReadOnlyList<JsonObject> Calls => Objects("calls");

    /// <summary>Every PutEvents entry, accepted or not: {state, accepted, entry, error?}.</summary>
    public IReadOnlyList<JsonObject> PutEvents => Objects("putEvents");

    /// <summary>Every StartExecution call, accepted or not: {state, accepted, StateMachineArn, Name, Input, error?}.</summary>
    public IReadOnlyList<JsonObject> StartExecutions => Objects("startExecutions");

    /// <summary>StateRetried, StateCaught, StateFailed, MapIterationFailed and ExecutionFailed events: {type, state, error?}.</summary>
    public IReadOnlyList<JsonObject> Events => Objects("events");

    /// <summary>The inputs the exporter saw for one Region, in order (retries included).</summary>
    public IReadOnlyList<JsonObject> ExporterInputs(string region) =>
        Calls.Where(c => (string?)c["state"] == "ExportPage" && (string?)c["input"]!["region"] == region).Select(c => c["input"]!.AsObject()).ToList();

    /// <summary>The Region result details the central bus accepted for one Region.</summary>
    public IReadOnlyList<JsonObject> SentResults(string region) => RegionResultEntries(region).Where(e => (bool)e["accepted"]!).Select(e => e["entry"]!["Detail"]!.AsObject()).ToList();

    /// <summary>Every Region result entry sent (accepted or not) for one Region.</summary>
    public IReadOnlyList<JsonObject> RegionResultEntries(string region) =>
        PutEvents.Where(e => (string?)e["entry"]!["DetailType"] == Core.Deployment.FanoutNames.RegionResultDetailType
            && (string?)e["entry"]!["Detail"]!["region"] == region).ToList();

    /// <summary>The account summaries the central bus accepted.</summary>
    public IReadOnlyList<JsonObject> SentSummaries =>
        PutEvents.Where(e => (bool)e["accepted"]! && (string?)e["entry"]!["DetailType"] == Core.Deployment.FanoutNames.AccountSummaryDetailType)
            .Select(e => e["entry"]!["Detail"]!.AsObject()).ToList();

    /// <summary>This Region's entry in the execution output (the account summary).</summary>
    public JsonObject OutputRegion(string region) => Output["regions"]!.AsArray().Single(r => (string?)r!["region"] == region)!.AsObject();

    /// <summary>
    /// The events this run would write into a Standard execution's history: a Task state 5 (entered, scheduled, started,
    /// succeeded or failed, exited), a Pass or Choice 2, a Map 4 (entered, started, succeeded, exited), a retry 3 (failed,
    /// scheduled, started), a Map iteration 2, the execution's start and end 2.
    /// </summary>
    public int HistoryEvents
    {
        get
        {
            var types = record["eventTypes"]!.AsObject();
            int Count(string key) => types[key]?.GetValue<int>() ?? 0;
            return 2 + (5 * Count("StateEntered:Task")) + (2 * (Count("StateEntered:Pass") + Count("StateEntered:Choice"))) + (4 * Count("StateEntered:Map"))
                + (3 * Count("StateRetried:Task")) + Count("MapIterationStarted") + Count("MapIterationSucceeded") + Count("MapIterationFailed");
        }
    }

    public override string ToString() => record.ToJsonString();

    private List<JsonObject> Objects(string name) => record[name]!.AsArray().Select(n => n!.AsObject()).ToList();
}

/// <summary>How each Task behaves, call by call (the scenario file of run-state-machine.mjs).</summary>
internal sealed class StateMachineScenario
{
    private readonly JsonArray _tasks = [];
    private readonly JsonObject _execution;

    public StateMachineScenario(string executionName, DateTimeOffset startTime)
    {
        _execution = new JsonObject
        {
            ["Id"] = $"arn:aws:states:eu-west-1:111122223333:execution:sechub-fanout-exporter:{executionName}",
            ["Name"] = executionName,
            ["StartTime"] = startTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The exporter's answers for one Region, invocation by invocation; after the list, <paramref name="then"/> or the list's last.</summary>
    public StateMachineScenario Exporter(string region, IEnumerable<JsonObject> calls, JsonObject? then = null) =>
        Task("ExportPage", new JsonObject { ["region"] = region }, calls, then);

    /// <summary>The central bus's answers to one Region's result, call by call.</summary>
    public StateMachineScenario RegionResultSend(string region, IEnumerable<JsonObject> calls, JsonObject? then = null) =>
        Task("SendRegionResult", new JsonObject { ["Entries"] = new JsonArray(new JsonObject { ["Detail"] = new JsonObject { ["region"] = region } }) }, calls, then);

    public StateMachineScenario Task(string state, JsonObject? match, IEnumerable<JsonObject> calls, JsonObject? then = null)
    {
        var rule = new JsonObject { ["state"] = state, ["calls"] = new JsonArray(calls.Select(c => (JsonNode)c.DeepClone()).ToArray()) };
        if (match is not null)
        {
            rule["match"] = match;
        }

        if (then is not null)
        {
            rule["then"] = then;
        }

        _tasks.Add(rule);
        return this;
    }

    public static JsonObject Returns(JsonNode value) => new() { ["return"] = value.DeepClone() };

    public static JsonObject Throws(string error, string cause = "simulated") => new() { ["throw"] = new JsonObject { ["error"] = error, ["cause"] = cause } };

    public JsonObject ToJson() => new() { ["context"] = new JsonObject { ["Execution"] = _execution.DeepClone() }, ["tasks"] = _tasks.DeepClone() };
}
