using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SecHubFanout.Cli.Infrastructure;

namespace SecHubFanout.Cli.Bench.Organization;

/// <summary>dynalite, the DynamoDB-protocol server from the repository's test tools (tests/tools, installed by the build), in memory on 127.0.0.1.</summary>
internal sealed class DynaliteProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DynaliteProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<DynaliteProcess> StartAsync(CancellationToken cancellationToken)
    {
        var cli = FindCli() ?? throw new UsageException(
            "dynalite is not installed: run the benchmark from a clone of the repository after a build (which installs tests/tools with npm ci), " +
            "or pass --dynamodb-endpoint with a DynamoDB endpoint to use");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "0" })
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new UsageException("could not start node for dynalite");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UsageException($"could not start node for dynalite ({e.Message}): install Node.js, or pass --dynamodb-endpoint");
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DynaliteProcess(process, new Uri($"http://127.0.0.1:{port}"));
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        await server.DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException("dynalite did not start listening within 30 seconds");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static string? FindCli()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var cli = Path.Combine(dir.FullName, "tests", "tools", "node_modules", "dynalite", "cli.js");
                if (File.Exists(cli))
                {
                    return cli;
                }
            }
        }

        return null;
    }
}
