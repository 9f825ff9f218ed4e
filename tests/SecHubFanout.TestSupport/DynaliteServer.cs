namespace SecHubFanout.TestSupport;

/// <summary>dynalite (npm), a DynamoDB-protocol server, in memory on 127.0.0.1.</summary>
public sealed class DynaliteServer : LocalServerProcess
{
    private DynaliteServer(IEnumerable<string> args, int port)
        : base("node", args, port)
    {
    }

    public static async Task<DynaliteServer> StartAsync()
    {
        var port = FreePort.Next();
        var server = new DynaliteServer([RepoPaths.NodeModule("dynalite/cli.js"), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"], port);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return server;
    }
}
