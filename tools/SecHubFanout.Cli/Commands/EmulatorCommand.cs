using System.CommandLine;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Commands;

/// <summary>`sechub-fanout emulator`: runs the local Security Hub until Ctrl+C (options shared with the emulator's own executable).</summary>
internal static class EmulatorCommand
{
    public static Command Create() => EmulatorCommandLine.Configure(new Command("emulator", EmulatorCommandLine.Description));
}
