using System.CommandLine;
using System.Net.Sockets;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Emulator.Tests;

[TestClass]
public sealed class EmulatorCommandLineTests
{
    [TestMethod]
    [DataRow("--fault-rate 2", "fault rate")]
    [DataRow("--drop-rate -0.1", "drop rate")]
    [DataRow("--accounts 12345", "12345")]
    [DataRow("--regions moon-base", "moon-base")]
    [DataRow("--regions us-east-1 --disabled-regions us-east-1", "both enabled and disabled")]
    [DataRow("--regions us-east-1 --denied-regions eu-west-1", "denied Region 'eu-west-1' is not one of the enabled Regions")]
    [DataRow("--findings-per-region -1", "findings per Region")]
    [DataRow("--token-lifetime-s 0", "token lifetime")]
    [DataRow("--port 70000", "port")]
    [DataRow("--get-findings-v2-rate 0", "GetFindingsV2 rate")]
    public async Task Invoke_InvalidOption_ExitsWithUsageAndSaysWhy(string arguments, string mentioned)
    {
        var error = new StringWriter();

        var exit = await InvokeAsync(arguments, new StringWriter(), error, CancellationToken.None);

        Assert.AreEqual(EmulatorCommandLine.UsageExitCode, exit);
        StringAssert.Contains(error.ToString(), mentioned);
    }

    [TestMethod]
    public async Task Invoke_ValidOptions_ServesUntilCancelledAndPrintsHowToConnect()
    {
        var port = FreePort.Next();
        var written = new StringWriter();
        var output = TextWriter.Synchronized(written);
        // SyncTextWriter locks on itself: reading under the same lock sees whole writes.
        string Text()
        {
            lock (output)
            {
                return written.ToString();
            }
        }

        using var stop = new CancellationTokenSource();

        var run = InvokeAsync($"--port {port} --accounts 111111111111,222222222222 --regions us-east-1,eu-west-1 --disabled-regions ap-south-1 --findings-per-region 10", output, new StringWriter(), stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Text().Contains("Ctrl+C", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", port);
        }

        await stop.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.AreEqual(0, exit);
        var text = Text();
        StringAssert.Contains(text, $"AWS_ENDPOINT_URL=http://127.0.0.1:{port}");
        StringAssert.Contains(text, "AWS_ACCESS_KEY_ID=111111111111");
        StringAssert.Contains(text, "AWS_SECRET_ACCESS_KEY=test");
        StringAssert.Contains(text, $"aws securityhub get-findings --endpoint-url http://127.0.0.1:{port}");
    }

    private static Task<int> InvokeAsync(string arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = EmulatorCommandLine.Configure(new RootCommand(EmulatorCommandLine.Description), output, error);
        var parse = root.Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.IsEmpty(parse.Errors, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return parse.InvokeAsync(cancellationToken: cancellationToken);
    }
}
