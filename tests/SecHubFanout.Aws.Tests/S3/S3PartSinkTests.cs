using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using SecHubFanout.Aws.S3;
using SecHubFanout.Core.Errors;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Aws.Tests.S3;

[TestClass]
public sealed class S3PartSinkTests
{
    private const string Bucket = "sechubfanout-findings-test";
    private const string KmsKey = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string Key = "findings/account_id=111122223333/region=eu-west-1/export_date=2026-11-23/export_id=e1/part-00-00000.parquet";
    private const string CentralAccount = "444455556666";
    private const string ExpectedOwnerHeader = "x-amz-expected-bucket-owner";
    private static S3rverServer _server = null!;

    private readonly RecordingHandler _handler = new();
    private AmazonS3Client _s3 = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartServerAsync(TestContext context) => _server = await S3rverServer.StartAsync(Bucket);

    [ClassCleanup]
    public static async Task StopServerAsync() => await _server.DisposeAsync();

    [TestInitialize]
    public void CreateClient()
    {
        var config = _server.ClientConfig("eu-west-1");
        config.HttpClientFactory = new RecordingHttpClientFactory(_handler);
        config.MaxErrorRetry = 1;
        _s3 = _server.CreateClient(config);
    }

    [TestCleanup]
    public void DisposeClient()
    {
        _s3.Dispose();
        _handler.Dispose();
    }

    [TestMethod]
    public async Task PutAsync_SmallPart_StoresExactBytesWithOnePutObjectCarryingSseKms()
    {
        var sink = Sink(kmsKeyId: KmsKey);
        var body = RandomBytes(300_000);

        await sink.PutAsync(Key, new MemoryStream(body), "application/vnd.apache.parquet", TestContext.CancellationToken);

        CollectionAssert.AreEqual(body, await GetAsync("prefix/" + Key));
        var put = _handler.Requests.Single(r => r.Method == "PUT");
        Assert.AreEqual($"/{Bucket}/prefix/{Key}", Uri.UnescapeDataString(put.Path));
        Assert.AreEqual("aws:kms", put.Header("x-amz-server-side-encryption"));
        Assert.AreEqual(KmsKey, put.Header("x-amz-server-side-encryption-aws-kms-key-id"));
        Assert.AreEqual("true", put.Header("x-amz-server-side-encryption-bucket-key-enabled"));
        Assert.AreEqual("application/vnd.apache.parquet", put.Header("content-type"));
        Assert.AreEqual(Convert.ToBase64String(SHA256.HashData(body)), put.Header("x-amz-checksum-sha256"));
        Assert.IsNull(put.Header("content-encoding"), "no aws-chunked body");
        Assert.IsNull(put.Header(ExpectedOwnerHeader), "no owner configured, none checked");
        Assert.AreEqual("s3://sechubfanout-findings-test/prefix/" + Key, sink.Describe(Key));
    }

    [TestMethod]
    public async Task PutAsync_SmallPartWithExpectedOwner_SendsTheOwnerOnThePut()
    {
        var sink = Sink(kmsKeyId: KmsKey, expectedOwner: CentralAccount);
        var body = RandomBytes(20_000);

        await sink.PutAsync(Key, new MemoryStream(body), "application/vnd.apache.parquet", TestContext.CancellationToken);

        CollectionAssert.AreEqual(body, await GetAsync("prefix/" + Key));
        Assert.AreEqual(CentralAccount, _handler.Requests.Single(r => r.Method == "PUT").Header(ExpectedOwnerHeader));
    }

    [TestMethod]
    public async Task PutAsync_LargePartWithExpectedOwner_SendsTheOwnerOnEveryMultipartRequest()
    {
        var sink = Sink(kmsKeyId: KmsKey, threshold: 6 * 1024 * 1024, expectedOwner: CentralAccount);
        var body = RandomBytes(11 * 1024 * 1024);

        await sink.PutAsync(Key, new MemoryStream(body), "application/vnd.apache.parquet", TestContext.CancellationToken);

        CollectionAssert.AreEqual(body, await GetAsync("prefix/" + Key));
        var writes = _handler.Requests.Where(r => r.Method is "PUT" or "POST").ToList();
        Assert.HasCount(1 + 3 + 1, writes, "initiate, three parts, complete");
        Assert.IsTrue(writes.All(r => r.Header(ExpectedOwnerHeader) == CentralAccount), string.Join("; ", writes.Select(r => $"{r.Method} {r.Query} {r.Header(ExpectedOwnerHeader)}")));
    }

    [TestMethod]
    public async Task PutAsync_PartFailsWithExpectedOwner_AbortsWithTheOwnerToo()
    {
        var sink = Sink(threshold: 6 * 1024 * 1024, expectedOwner: CentralAccount);
        _handler.Inject = r => r.Method == HttpMethod.Put && r.RequestUri!.Query.Contains("partNumber=2", StringComparison.Ordinal)
            ? RecordingHandler.S3Error(HttpStatusCode.InternalServerError, "InternalError", "We encountered an internal error. Please try again.")
            : null;

        await Assert.ThrowsExactlyAsync<ServiceCallException>(() => sink.PutAsync("d/failed.parquet", new MemoryStream(RandomBytes(12 * 1024 * 1024)), "application/octet-stream", TestContext.CancellationToken));

        Assert.AreEqual(CentralAccount, _handler.Requests.Single(r => r.Method == "DELETE").Header(ExpectedOwnerHeader));
    }

    [TestMethod]
    public async Task PutAsync_BucketOwnedByAnotherAccount_ThrowsAccessDeniedNamingTheExpectedOwner()
    {
        // s3rver ignores x-amz-expected-bucket-owner; S3 answers a mismatch with 403 AccessDenied, which is what the bucket of this
        // (stranger) account answers here.
        const string strangerAccount = "777788889999";
        var sink = Sink(kmsKeyId: KmsKey, expectedOwner: CentralAccount);
        _handler.Inject = r => r.Headers.TryGetValues(ExpectedOwnerHeader, out var owners) && owners.Single() != strangerAccount
            ? RecordingHandler.S3Error(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied")
            : null;

        var ex = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => sink.PutAsync("e/stranger.parquet", new MemoryStream(RandomBytes(10)), "application/octet-stream", TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.AccessDenied, ex.Kind);
        StringAssert.Contains(ex.Message, $"The bucket must also belong to account {CentralAccount} (the expected bucket owner)");
        await Assert.ThrowsExactlyAsync<NoSuchKeyException>(() => GetAsync("prefix/e/stranger.parquet"), "nothing was written");
    }

    [TestMethod]
    public async Task PutAsync_LargePart_StoresExactBytesWithMultipartUpload()
    {
        var sink = Sink(kmsKeyId: KmsKey, threshold: 6 * 1024 * 1024);
        var body = RandomBytes(12 * 1024 * 1024 + 12_345);

        // A non-seekable stream, like a pipe: the sink must not need the length up front.
        await sink.PutAsync(Key, new NonSeekableStream(body), "application/vnd.apache.parquet", TestContext.CancellationToken);

        CollectionAssert.AreEqual(body, await GetAsync("prefix/" + Key));
        var initiate = _handler.Requests.Single(r => r.Method == "POST" && r.Query.Contains("uploads", StringComparison.Ordinal));
        Assert.AreEqual("aws:kms", initiate.Header("x-amz-server-side-encryption"));
        Assert.AreEqual(KmsKey, initiate.Header("x-amz-server-side-encryption-aws-kms-key-id"));
        Assert.AreEqual("true", initiate.Header("x-amz-server-side-encryption-bucket-key-enabled"));
        Assert.AreEqual("SHA256", initiate.Header("x-amz-checksum-algorithm"));
        var parts = _handler.Requests.Where(r => r.Method == "PUT" && r.Query.Contains("partNumber", StringComparison.Ordinal)).ToList();
        Assert.HasCount(3, parts, "5 MiB + 5 MiB + the rest");
        Assert.IsTrue(parts.All(p => p.Header("x-amz-checksum-sha256") is not null && p.Header("content-encoding") is null));
        Assert.AreEqual(1, _handler.Requests.Count(r => r.Method == "POST" && r.Query.Contains("uploadId", StringComparison.Ordinal)), "one CompleteMultipartUpload");
        Assert.IsFalse(_handler.Requests.Any(r => r.Method == "DELETE"), "nothing aborted");
    }

    [TestMethod]
    public async Task PutAsync_SameKeyTwice_ReplacesTheObject()
    {
        var sink = Sink();
        await sink.PutAsync("a/part.parquet", new MemoryStream(RandomBytes(50_000)), "application/octet-stream", TestContext.CancellationToken);
        var second = RandomBytes(1_000);

        await sink.PutAsync("a/part.parquet", new MemoryStream(second), "application/octet-stream", TestContext.CancellationToken);

        CollectionAssert.AreEqual(second, await GetAsync("prefix/a/part.parquet"));
    }

    [TestMethod]
    public async Task PutAsync_PartFailsMidMultipart_AbortsTheUploadAndThrowsTransient()
    {
        var sink = Sink(threshold: 6 * 1024 * 1024);
        _handler.Inject = r => r.Method == HttpMethod.Put && r.RequestUri!.Query.Contains("partNumber=2", StringComparison.Ordinal)
            ? RecordingHandler.S3Error(HttpStatusCode.InternalServerError, "InternalError", "We encountered an internal error. Please try again.")
            : null;

        var ex = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => sink.PutAsync("b/failed.parquet", new MemoryStream(RandomBytes(12 * 1024 * 1024)), "application/octet-stream", TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.Transient, ex.Kind);
        StringAssert.Contains(ex.Message, "part 2");
        var abort = _handler.Requests.Single(r => r.Method == "DELETE");
        StringAssert.Contains(abort.Query, "uploadId=");
        Assert.IsFalse(_handler.Requests.Any(r => r.Method == "POST" && r.Query.Contains("uploadId", StringComparison.Ordinal)), "never completed");
        var missing = await Assert.ThrowsExactlyAsync<NoSuchKeyException>(() => GetAsync("prefix/b/failed.parquet"));
        Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [TestMethod]
    public async Task PutAsync_ContentBreaksMidMultipart_AbortsTheUpload()
    {
        var sink = Sink(threshold: 6 * 1024 * 1024);

        await Assert.ThrowsExactlyAsync<IOException>(() => sink.PutAsync("c/broken.parquet", new BreakingStream(RandomBytes(12 * 1024 * 1024), breakAt: 11 * 1024 * 1024), "application/octet-stream", TestContext.CancellationToken));

        Assert.AreEqual(1, _handler.Requests.Count(r => r.Method == "DELETE" && r.Query.Contains("uploadId=", StringComparison.Ordinal)));
        await Assert.ThrowsExactlyAsync<NoSuchKeyException>(() => GetAsync("prefix/c/broken.parquet"));
    }

    [TestMethod]
    public async Task PutAsync_MissingBucket_ThrowsNotFoundNamingTheBucket()
    {
        var sink = new S3PartSink(_s3, new S3PartSinkOptions { BucketName = "sechubfanout-no-such-bucket", UseChunkEncoding = false });

        var ex = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => sink.PutAsync(Key, new MemoryStream(RandomBytes(10)), "application/octet-stream", TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.NotFound, ex.Kind);
        Assert.AreEqual("NoSuchBucket", ex.ErrorCode);
        StringAssert.Contains(ex.Message, "Bucket 'sechubfanout-no-such-bucket' does not exist");
    }

    [TestMethod]
    public async Task PutAsync_AccessDenied_ThrowsAccessDeniedNamingBucketKeyAndPermission()
    {
        var sink = Sink(kmsKeyId: KmsKey);
        _handler.Inject = _ => RecordingHandler.S3Error(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied");

        var ex = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => sink.PutAsync(Key, new MemoryStream(RandomBytes(10)), "application/octet-stream", TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.AccessDenied, ex.Kind);
        StringAssert.Contains(ex.Message, $"s3://{Bucket}/prefix/{Key}");
        StringAssert.Contains(ex.Message, $"s3:PutObject on arn:aws:s3:::{Bucket}/prefix/{Key}");
        StringAssert.Contains(ex.Message, $"kms:GenerateDataKey on KMS key '{KmsKey}'");
    }

    [TestMethod]
    [DataRow(HttpStatusCode.ServiceUnavailable, "SlowDown", ServiceErrorKind.Throttled)]
    [DataRow(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", ServiceErrorKind.Throttled)]
    [DataRow(HttpStatusCode.InternalServerError, "InternalError", ServiceErrorKind.Transient)]
    [DataRow(HttpStatusCode.BadGateway, "BadGateway", ServiceErrorKind.Transient)]
    [DataRow(HttpStatusCode.BadRequest, "InvalidArgument", ServiceErrorKind.InvalidInput)]
    public async Task PutAsync_ServiceError_MapsToKind(HttpStatusCode status, string code, ServiceErrorKind kind)
    {
        var sink = Sink();
        _handler.Inject = _ => RecordingHandler.S3Error(status, code, "injected");

        var ex = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => sink.PutAsync(Key, new MemoryStream(RandomBytes(10)), "application/octet-stream", TestContext.CancellationToken));

        Assert.AreEqual(kind, ex.Kind, ex.Message);
        Assert.AreEqual((int)status, ex.StatusCode);
    }

    [TestMethod]
    [DataRow("ab")]
    [DataRow("Upper-Case")]
    [DataRow("bad..dots")]
    public void Constructor_InvalidBucketName_Throws(string bucket)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new S3PartSink(_s3, new S3PartSinkOptions { BucketName = bucket }));

        StringAssert.Contains(ex.Message, "not a valid S3 bucket name");
    }

    [TestMethod]
    [DataRow("12345678901")]
    [DataRow("1234567890123")]
    [DataRow("abcdefghijkl")]
    public void Constructor_ExpectedOwnerNotAnAccountId_Throws(string owner)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new S3PartSink(_s3, new S3PartSinkOptions { BucketName = Bucket, ExpectedBucketOwner = owner }));

        StringAssert.Contains(ex.Message, "is not an AWS account ID");
    }

    [TestMethod]
    public void Constructor_PartSizeBelowS3Minimum_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new S3PartSink(_s3, new S3PartSinkOptions { BucketName = Bucket, PartSize = 1024 * 1024 }));
    }

    private S3PartSink Sink(string? kmsKeyId = null, long threshold = 16 * 1024 * 1024, string? expectedOwner = null) => new(_s3, new S3PartSinkOptions
    {
        BucketName = Bucket,
        ExpectedBucketOwner = expectedOwner,
        KeyPrefix = "prefix",
        KmsKeyId = kmsKeyId,
        MultipartThreshold = threshold,
        PartSize = S3PartSinkOptions.MinPartSize,
        UseChunkEncoding = false,
    });

    private async Task<byte[]> GetAsync(string key)
    {
        using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, TestContext.CancellationToken);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, TestContext.CancellationToken);
        return copy.ToArray();
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private class NonSeekableStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Short reads on purpose: real network streams return less than asked.
            var n = Math.Min(Math.Min(count, 70_000), data.Length - _position);
            CheckBeforeRead(_position, n);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected virtual void CheckBeforeRead(int position, int count)
        {
        }
    }

    private sealed class BreakingStream(byte[] data, int breakAt) : NonSeekableStream(data)
    {
        protected override void CheckBeforeRead(int position, int count)
        {
            if (position + count > breakAt)
            {
                throw new IOException("the encoder's output broke");
            }
        }
    }
}
