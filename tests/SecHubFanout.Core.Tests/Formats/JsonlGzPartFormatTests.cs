using System.IO.Compression;
using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Formats;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Core.Tests.Formats;

[TestClass]
public sealed class JsonlGzPartFormatTests
{
    private static readonly PartContext _context = new("exp-1", "111122223333", "eu-west-1", DateTimeOffset.UnixEpoch);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Format_Identity_IsJsonlGz()
    {
        var format = new JsonlGzPartFormat();

        Assert.AreEqual("jsonl", format.Name);
        Assert.AreEqual(".jsonl.gz", format.Extension);
        Assert.AreEqual("application/gzip", format.ContentType);
    }

    [TestMethod]
    public async Task Encoder_Corpus_DecompressesToTheExactBytesOneFindingPerLine()
    {
        var findings = TestFindings.Corpus();

        var bytes = await EncodeAsync(findings);

        var expected = findings.SelectMany(f => f.Append((byte)'\n')).ToArray();
        var actual = Gunzip(bytes);
        Assert.AreEqual(expected.Length, actual.Length);
        Assert.IsTrue(expected.AsSpan().SequenceEqual(actual), "bytes differ");
        StringAssert.Contains(Encoding.UTF8.GetString(actual), TestFindings.NonAsciiTitle);
        StringAssert.Contains(Encoding.UTF8.GetString(actual), "line\\u2028sep \\\"quoted\\\"");
    }

    [TestMethod]
    public async Task Encoder_PrettyPrintedFinding_IsCompactedOntoOneLineWithSameValues()
    {
        var pretty = "{\r\n  \"Id\" : \"a b\",\n\t\"Title\": \"keeps  spaces \\n and \\\" and \\\\\",\n  \"Types\": [ \"x\" , \"y\" ],\n  \"N\": 1.50\n}"u8.ToArray();
        var compact = SampleFindings.Control(1);

        var lines = Encoding.UTF8.GetString(Gunzip(await EncodeAsync([pretty, compact]))).Split('\n');

        Assert.HasCount(3, lines, "two lines and the empty rest after the last newline");
        Assert.AreEqual("{\"Id\":\"a b\",\"Title\":\"keeps  spaces \\n and \\\" and \\\\\",\"Types\":[\"x\",\"y\"],\"N\":1.50}", lines[0]);
        Assert.AreEqual(Encoding.UTF8.GetString(compact), lines[1]);
        using var before = JsonDocument.Parse(pretty);
        using var after = JsonDocument.Parse(lines[0]);
        Assert.IsTrue(JsonElement.DeepEquals(before.RootElement, after.RootElement));
    }

    [TestMethod]
    public async Task AddAsync_MalformedFinding_ThrowsNamingItsPosition()
    {
        using var output = new MemoryStream();
        await using var encoder = new JsonlGzPartFormat().CreateEncoder(_context, output);
        await encoder.AddAsync("{}"u8.ToArray(), TestContext.CancellationToken);

        var ex = await Assert.ThrowsExactlyAsync<InvalidFindingException>(() => encoder.AddAsync("{\"a\":\n1"u8.ToArray(), TestContext.CancellationToken).AsTask());

        Assert.AreEqual(1, ex.Position);
    }

    [TestMethod]
    public async Task Encoder_NoFindings_WritesAValidEmptyGzip()
    {
        var bytes = await EncodeAsync([]);

        Assert.IsEmpty(Gunzip(bytes));
    }

    private async Task<byte[]> EncodeAsync(IReadOnlyList<byte[]> findings)
    {
        using var output = new MemoryStream();
        await using (var encoder = new JsonlGzPartFormat().CreateEncoder(_context, output))
        {
            foreach (var finding in findings)
            {
                await encoder.AddAsync(finding, TestContext.CancellationToken);
            }

            await encoder.CompleteAsync(TestContext.CancellationToken);
            Assert.AreEqual(findings.Count, encoder.Count);
        }

        Assert.IsTrue(output.CanWrite, "the encoder leaves the output open");
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var result = new MemoryStream();
        input.CopyTo(result);
        return result.ToArray();
    }
}
