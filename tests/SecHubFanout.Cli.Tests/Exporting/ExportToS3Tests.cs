using Amazon.S3;
using Amazon.S3.Model;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Emulator;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>
/// <c>export --out s3://...</c> against s3rver, with Security Hub, STS and EC2 on the emulator (service-specific endpoint variables).
/// s3rver is started knowing the emulator account's key pair, so the CLI signs every call with one set of credentials, as on AWS.
/// </summary>
[TestClass]
public sealed class ExportToS3Tests
{
    private const string Account = "333333333333";
    private const string Bucket = "sechub-findings";
    private static SecurityHubEmulator _emulator = null!;
    private static S3rverServer _s3 = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task ClassInitializeAsync(TestContext context)
    {
        _ = context;
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account],
            Regions = ["us-east-1", "eu-west-1"],
            FindingsPerRegion = 300,
            GetFindingsRate = 1000,
            GetFindingsBurst = 1000,
        });
        _s3 = await S3rverServer.StartAsync(new Dictionary<string, string> { [Account] = "test" }, Bucket);
    }

    [ClassCleanup]
    public static async Task ClassCleanupAsync()
    {
        await _s3.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task Export_ToS3Prefix_StoresObjectsHoldingEveryServedId()
    {
        var result = await CliProcess.RunAsync(Environment(), "export", "--regions", "us-east-1,eu-west-1", "--out", $"s3://{Bucket}/exports");

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        using var temp = new TempDirectory();
        await DownloadAsync("exports/", temp.Path);
        foreach (var region in new[] { "us-east-1", "eu-west-1" })
        {
            ExportedIds.AssertExactly(_emulator.FindingIds(Account, region), await ExportedIds.ReadAsync(temp.Path, Account, region), region);
        }

        StringAssert.Contains(result.Stdout, $"s3://{Bucket}/exports/findings/account_id={Account}/region=us-east-1/");
    }

    [TestMethod]
    public async Task Export_ToMissingBucket_ExitsTwoAndWritesNothing()
    {
        var result = await CliProcess.RunAsync(Environment(), "export", "--regions", "us-east-1", "--out", "s3://no-such-bucket/x");

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "bucket 'no-such-bucket' does not exist");
        using var s3 = Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "x/" }, TestContext.CancellationToken);
        Assert.IsEmpty(listed.S3Objects ?? []);
    }

    private static System.Diagnostics.ProcessStartInfo Environment()
    {
        var info = CliEnvironment.ForAccount(Account);
        info.Environment["AWS_ENDPOINT_URL_S3"] = _s3.Endpoint.ToString();
        info.Environment["AWS_ENDPOINT_URL_SECURITYHUB"] = _emulator.Endpoint.ToString();
        info.Environment["AWS_ENDPOINT_URL_STS"] = _emulator.Endpoint.ToString();
        info.Environment["AWS_ENDPOINT_URL_EC2"] = _emulator.Endpoint.ToString();
        return info;
    }

    private static AmazonS3Client Client() => _s3.CreateClient();

    private async Task DownloadAsync(string prefix, string folder)
    {
        using var s3 = Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix }, TestContext.CancellationToken);
        Assert.IsNotEmpty(listed.S3Objects ?? [], "objects were written");
        foreach (var item in listed.S3Objects!)
        {
            var path = Path.Combine(folder, item.Key[prefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var response = await s3.GetObjectAsync(Bucket, item.Key, TestContext.CancellationToken);
            await using var file = File.Create(path);
            await response.ResponseStream.CopyToAsync(file, TestContext.CancellationToken);
        }
    }
}
