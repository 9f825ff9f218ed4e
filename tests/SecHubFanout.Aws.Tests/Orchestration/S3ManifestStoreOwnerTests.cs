using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Aws.Tests.S3;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Aws.Tests.Orchestration;

[TestClass]
public sealed class S3ManifestStoreOwnerTests
{
    private const string Bucket = "sechubfanout-manifests-test";
    private const string Owner = "444455556666";
    private const string ExportId = "20261202T170000Z-0a1b2c3d";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(Owner)]
    [DataRow(null)]
    public async Task WriteAsync_ExpectedOwnerGivenOrNot_SentOnThePutExactlyThen(string? owner)
    {
        await using var server = await S3rverServer.StartAsync(Bucket);
        using var handler = new RecordingHandler();
        var config = server.ClientConfig("eu-west-1");
        config.HttpClientFactory = new RecordingHttpClientFactory(handler);
        using var s3 = server.CreateClient(config);
        var json = "{\"exportId\":\"20261202T170000Z-0a1b2c3d\"}"u8.ToArray();

        using var body = new MemoryStream(json);
        var location = await new S3ManifestStore(s3, Bucket, null, owner).WriteAsync(ExportId, body, TestContext.CancellationToken);

        Assert.AreEqual($"s3://{Bucket}/manifests/{ExportId}.json", location);
        Assert.AreEqual(owner, handler.Requests.Single(r => r.Method == "PUT").Header("x-amz-expected-bucket-owner"));
    }

    [TestMethod]
    public void Constructor_OwnerNotAnAccountId_Throws()
    {
        using var s3 = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.AnonymousAWSCredentials(), Amazon.RegionEndpoint.EUWest1);

        var ex = Assert.ThrowsExactly<ArgumentException>(() => new S3ManifestStore(s3, Bucket, null, "owner"));

        StringAssert.Contains(ex.Message, "is not an AWS account ID");
    }
}
