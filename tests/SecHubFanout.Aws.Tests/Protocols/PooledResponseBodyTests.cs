using SecHubFanout.Aws.Protocols;

namespace SecHubFanout.Aws.Tests.Protocols;

[TestClass]
public sealed class PooledResponseBodyTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(null)]
    [DataRow(200_000L)]
    [DataRow(10L)]
    [DataRow(5_000_000L)]
    public async Task ReadAsync_AnyDeclaredLength_HoldsExactlyTheStreamsBytes(long? declared)
    {
        // Arrange: a body read in small chunks, so the buffer grows when the declared length is missing or too small.
        var bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);
        using var stream = new TrickleStream(bytes, chunk: 4_000);

        // Act
        using var body = await PooledResponseBody.ReadAsync(stream, declared, TestContext.CancellationToken);

        // Assert
        Assert.AreEqual(bytes.Length, body.Length);
        CollectionAssert.AreEqual(bytes, body.ToArray());
    }

    [TestMethod]
    public async Task Memory_AfterDispose_ThrowsAndDisposeTwiceIsHarmless()
    {
        // Arrange
        using var stream = new MemoryStream("{\"Findings\":[]}"u8.ToArray());
        var body = await PooledResponseBody.ReadAsync(stream, stream.Length, TestContext.CancellationToken);
        Assert.AreEqual("{\"Findings\":[]}", System.Text.Encoding.UTF8.GetString(body.Memory.Span));

        // Act
        body.Dispose();
        body.Dispose();

        // Assert
        Assert.ThrowsExactly<ObjectDisposedException>(() => body.Memory);
    }

    // Returns at most `chunk` bytes per read, as a socket does.
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
