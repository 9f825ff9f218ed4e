using SecHubFanout.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
