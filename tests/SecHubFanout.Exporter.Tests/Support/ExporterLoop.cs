using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Deployment;

namespace SecHubFanout.Exporter.Tests.Support;

/// <summary>Drives the exporter handler the way the member state machine's Region loop does: invoke, pass the checkpoint back, until done.</summary>
internal static class ExporterLoop
{
    public static ExporterInput FirstInput(string exportId, string region, DateTimeOffset until, JsonElement? filters = null, DateTimeOffset? since = null) =>
        new(exportId, null, region, filters, since, until, null, null, new ExporterDestination(LocalAws.Bucket, FanoutNames.FindingsPrefix, LocalAws.KmsKeyArn));

    public static async Task<ExporterOutput> InvokeAsync(ExporterFunction function, ExporterInput input)
    {
        using var request = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(input, ExporterJsonContext.Default.ExporterInput));
        return await InvokeRawAsync(function, request);
    }

    public static async Task<ExporterOutput> InvokeRawAsync(ExporterFunction function, Stream request)
    {
        await using var response = await function.HandleAsync(request);
        using var reader = new StreamReader(response, Encoding.UTF8);
        var json = await reader.ReadToEndAsync();
        return JsonSerializer.Deserialize(json, ExporterJsonContext.Default.ExporterOutput)
            ?? throw new AssertFailedException("the handler answered null: " + json);
    }

    /// <summary>The next invocation's input after <paramref name="output"/>, as the state machine's NextPage state builds it.</summary>
    public static ExporterInput Next(ExporterInput input, ExporterOutput output) => input with { Checkpoint = output.Checkpoint, Counts = output.Counts };

    /// <summary>Invokes until the Region is done; returns the final answer and how many invocations it took.</summary>
    public static async Task<(ExporterOutput Final, int Invocations)> RunAsync(ExporterFunction function, ExporterInput input, int maxInvocations = 200)
    {
        for (var invocation = 1; invocation <= maxInvocations; invocation++)
        {
            var output = await InvokeAsync(function, input);
            if (output.IsDone)
            {
                return (output, invocation);
            }

            input = Next(input, output);
        }

        throw new AssertFailedException($"the Region was not done after {maxInvocations} invocations");
    }
}
