namespace SecHubFanout.TestSupport;

/// <summary>s3rver (npm) on 127.0.0.1 with a fresh data directory and the given buckets; credentials S3RVER/S3RVER.</summary>
public sealed class S3rverServer : LocalServerProcess
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private S3rverServer(IEnumerable<string> args, int port, string directory)
        : base("node", args, port)
    {
        Directory = directory;
    }

    /// <summary>The folder s3rver stores objects in.</summary>
    public string Directory { get; }

    public static async Task<S3rverServer> StartAsync(params string[] buckets)
    {
        var port = FreePort.Next();
        var dir = Path.Combine(Path.GetTempPath(), "s3rver-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var args = new List<string> { RepoPaths.NodeModule("s3rver/bin/s3rver.js"), "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", dir, "--silent", "--no-vhost-buckets" };
        foreach (var b in buckets)
        {
            args.Add("--configure-bucket");
            args.Add(b);
        }

        var server = new S3rverServer(args, port, dir);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return server;
    }
}
