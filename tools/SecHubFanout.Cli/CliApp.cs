using System.CommandLine;
using SecHubFanout.Cli.Commands;
using SecHubFanout.Cli.Infrastructure;

namespace SecHubFanout.Cli;

/// <summary>Builds the sechub-fanout command tree; each command lives in its own file under Commands/.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "sechub-fanout: export the AWS Security Hub findings of a whole AWS Organization into one KMS-encrypted S3 bucket (or a local folder), fast.\n" +
            "Uses the standard AWS credential chain (--profile, AWS_PROFILE, environment, SSO, instance roles) and honours --endpoint-url / AWS_ENDPOINT_URL.\n\n" + ExitCodes.HelpText);
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // No response files: '@file' is the value syntax of options such as export --filters @filters.json.
        var parse = Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'sechub-fanout --help' (or '<command> --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Whatever a command does not handle itself still ends as one line and an exit code from the one table.
        return await CommandHost.RunAsync(
            ct => parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, ct),
            CancellationToken.None).ConfigureAwait(false);
    }

    // One line per command: keeps merges of parallel work trivial.
    private static IEnumerable<Command> Commands()
    {
        yield return EmulatorCommand.Create();
        yield return QueryCommand.Create();
        yield return ReportCommand.Create();
        yield return StartCommand.Create();
        yield return StatusCommand.Create();
        yield return ExportCommand.Create();
        yield return DemoCommand.Create();
        yield return BenchCommand.Create();
    }
}
