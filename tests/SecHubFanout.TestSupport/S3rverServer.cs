using Amazon.Runtime;
using Amazon.S3;

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

    public static Task<S3rverServer> StartAsync(params string[] buckets) => StartAsync(new Dictionary<string, string>(), buckets);

    /// <summary>
    /// Starts s3rver knowing <paramref name="accessKeys"/> (access key ID to secret) besides S3RVER/S3RVER, so a process that signs every
    /// AWS call with one set of credentials (as with real AWS) can also write here; signatures are still verified.
    /// </summary>
    public static async Task<S3rverServer> StartAsync(IReadOnlyDictionary<string, string> accessKeys, params string[] buckets)
    {
        ArgumentNullException.ThrowIfNull(accessKeys);
        var port = FreePort.Next();
        var dir = Path.Combine(Path.GetTempPath(), "s3rver-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var args = new List<string> { "-r", Path.Combine(RepoPaths.ToolsDir, "s3rver-access-keys.js"), RepoPaths.NodeModule("s3rver/bin/s3rver.js"), "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", dir, "--silent", "--no-vhost-buckets" };
        foreach (var (id, secret) in accessKeys)
        {
            args.Add("--access-key");
            args.Add($"{id}:{secret}");
        }

        foreach (var b in buckets)
        {
            args.Add("--configure-bucket");
            args.Add(b);
        }

        var server = new S3rverServer(args, port, dir);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return server;
    }

    /// <summary>
    /// An S3 client configuration for this server: path-style addressing, signing for <paramref name="region"/>, and checksums
    /// only where S3 requires them (s3rver does not know the SDK's default flexible checksums). Callers may adjust it before
    /// <see cref="CreateClient"/>.
    /// </summary>
    public AmazonS3Config ClientConfig(string region = "us-east-1") => new()
    {
        ServiceURL = Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = region,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    };

    /// <summary>An S3 client signing with S3RVER/S3RVER, configured by <paramref name="config"/> (default: <see cref="ClientConfig"/>).</summary>
    public AmazonS3Client CreateClient(AmazonS3Config? config = null) =>
        new(new BasicAWSCredentials(AccessKey, SecretKey), config ?? ClientConfig());
}
