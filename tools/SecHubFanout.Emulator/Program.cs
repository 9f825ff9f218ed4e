using System.CommandLine;
using SecHubFanout.Emulator;

// The same options as `sechub-fanout emulator`, for running the emulator on its own.
var parse = EmulatorCommandLine.Configure(new RootCommand(EmulatorCommandLine.Description)).Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
    }

    return EmulatorCommandLine.UsageExitCode;
}

return await parse.InvokeAsync().ConfigureAwait(false);
