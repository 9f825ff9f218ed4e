using System.Text;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Core.Tests.Sinks;

[TestClass]
public sealed class DirectoryPartSinkTests
{
    private const string Key = "findings/account_id=111122223333/region=eu-west-1/export_date=2026-11-23/export_id=e1/part-00-00000.parquet";
    private string _root = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateRoot() => _root = Path.Combine(Path.GetTempPath(), "sink-" + Guid.NewGuid().ToString("N"));

    [TestCleanup]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [TestMethod]
    public async Task PutAsync_NewKey_CreatesFoldersOfTheKeyLayout()
    {
        var sink = new DirectoryPartSink(_root);

        await sink.PutAsync(Key, new MemoryStream("part one"u8.ToArray()), "application/vnd.apache.parquet", TestContext.CancellationToken);

        var path = Path.Combine(_root, "findings", "account_id=111122223333", "region=eu-west-1", "export_date=2026-11-23", "export_id=e1", "part-00-00000.parquet");
        Assert.AreEqual("part one", await File.ReadAllTextAsync(path, TestContext.CancellationToken));
        Assert.AreEqual(path, sink.Describe(Key));
        Assert.HasCount(1, Directory.GetFiles(_root, "*", SearchOption.AllDirectories), "no temp file left");
    }

    [TestMethod]
    public async Task PutAsync_SameKeyTwice_ReplacesTheFileWhole()
    {
        var sink = new DirectoryPartSink(_root);
        await sink.PutAsync(Key, new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 10_000))), "x", TestContext.CancellationToken);

        await sink.PutAsync(Key, new MemoryStream("short"u8.ToArray()), "x", TestContext.CancellationToken);

        Assert.AreEqual("short", await File.ReadAllTextAsync(sink.Describe(Key), TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task PutAsync_ContentFailsMidway_LeavesNoFileUnderTheKeyAndKeepsThePreviousOne()
    {
        var sink = new DirectoryPartSink(_root);
        await sink.PutAsync(Key, new MemoryStream("previous"u8.ToArray()), "x", TestContext.CancellationToken);
        var otherKey = Key.Replace("part-00-00000", "part-00-00001", StringComparison.Ordinal);

        await Assert.ThrowsExactlyAsync<IOException>(() => sink.PutAsync(Key, new FailingStream(100_000), "x", TestContext.CancellationToken));
        await Assert.ThrowsExactlyAsync<IOException>(() => sink.PutAsync(otherKey, new FailingStream(100_000), "x", TestContext.CancellationToken));

        Assert.AreEqual("previous", await File.ReadAllTextAsync(sink.Describe(Key), TestContext.CancellationToken));
        Assert.IsFalse(File.Exists(sink.Describe(otherKey)));
        Assert.HasCount(1, Directory.GetFiles(_root, "*", SearchOption.AllDirectories), "temp files are removed");
    }

    [TestMethod]
    [DataRow("../escape.parquet")]
    [DataRow("/abs/part.parquet")]
    [DataRow("findings//part.parquet")]
    [DataRow("findings\\part.parquet")]
    public async Task PutAsync_KeyLeavingTheRoot_Throws(string key)
    {
        var sink = new DirectoryPartSink(_root);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => sink.PutAsync(key, new MemoryStream(), "x", TestContext.CancellationToken));
    }

    /// <summary>Yields some bytes, then fails like a broken upstream.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter)
            {
                throw new IOException("upstream broke");
            }

            var n = Math.Min(count, failAfter - _read);
            buffer.AsSpan(offset, n).Fill((byte)'z');
            _read += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
