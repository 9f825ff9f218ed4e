using SecHubFanout.Aws.Orchestration;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Coordinator.Tests.Wire;

[TestClass]
public sealed class S3ManifestStoreTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task WriteAsync_ManifestStream_StoredUnderManifestsWithTheSameBytesAndTheStreamLeftOpen()
    {
        await using var server = await S3rverServer.StartAsync("findings-bucket");
        using var s3 = server.CreateClient();
        var json = "{\"exportId\":\"20261123T180000Z-0a1b2c3d\",\"totals\":{\"findings\":12345}}"u8.ToArray();

        using var stream = new MemoryStream(json);

        var location = await new S3ManifestStore(s3, "findings-bucket", null).WriteAsync("20261123T180000Z-0a1b2c3d", stream, TestContext.CancellationToken);
        using var stored = await s3.GetObjectAsync("findings-bucket", "manifests/20261123T180000Z-0a1b2c3d.json", TestContext.CancellationToken);
        using var read = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(read, TestContext.CancellationToken);

        Assert.AreEqual("s3://findings-bucket/manifests/20261123T180000Z-0a1b2c3d.json", location);
        CollectionAssert.AreEqual(json, read.ToArray());
        Assert.AreEqual("application/json", stored.Headers.ContentType);
        Assert.IsTrue(stream.CanRead, "the caller owns (and deletes) the spool file");
    }
}
