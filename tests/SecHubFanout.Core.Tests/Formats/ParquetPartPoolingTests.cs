using SecHubFanout.Core.Formats;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Core.Tests.Formats;

/// <summary>The Parquet encoder takes its JSON arena and column arrays from shared pools: reuse must never leak one part's data into another.</summary>
[TestClass]
public sealed class ParquetPartPoolingTests
{
    private static readonly PartContext _context = new("exp-pool", "111122223333", "eu-west-1", new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Encoders_InterleavedAndAbandoned_EachPartIsByteIdenticalToAFreshOne()
    {
        // Arrange: realistic findings, several row groups per part so arrays are reused within a part too.
        var format = new ParquetPartFormat(new ParquetPartOptions { RowGroupMaxRows = 70 });
        var first = Enumerable.Range(0, 250).Select(i => SampleFindings.Control(i)).ToList();
        var second = Enumerable.Range(1_000, 180).Select(i => SampleFindings.Control(i)).ToList();
        var expectedFirst = await EncodeAsync(format, first);
        var expectedSecond = await EncodeAsync(format, second);

        // Act: an abandoned part returns its buffers; then two parts are written at once, their findings interleaved.
        await using (var abandoned = format.CreateEncoder(_context, new MemoryStream()))
        {
            foreach (var finding in second.Take(100))
            {
                await abandoned.AddAsync(finding, TestContext.CancellationToken);
            }
        }

        using var a = new MemoryStream();
        using var b = new MemoryStream();
        await using (var encoderA = format.CreateEncoder(_context, a))
        await using (var encoderB = format.CreateEncoder(_context, b))
        {
            for (var i = 0; i < Math.Max(first.Count, second.Count); i++)
            {
                if (i < first.Count)
                {
                    await encoderA.AddAsync(first[i], TestContext.CancellationToken);
                }

                if (i < second.Count)
                {
                    await encoderB.AddAsync(second[i], TestContext.CancellationToken);
                }
            }

            await encoderA.CompleteAsync(TestContext.CancellationToken);
            await encoderB.CompleteAsync(TestContext.CancellationToken);
        }

        // Assert
        CollectionAssert.AreEqual(expectedFirst, a.ToArray());
        CollectionAssert.AreEqual(expectedSecond, b.ToArray());
    }

    [TestMethod]
    public async Task Encoder_FindingBytesOverwrittenAfterAdd_PartKeepsTheOriginalFindings()
    {
        // Arrange: the engine passes slices of a pooled page buffer that is reused once the page is disposed.
        var format = new ParquetPartFormat();
        var findings = Enumerable.Range(0, 40).Select(i => SampleFindings.Control(i)).ToList();
        var expected = await EncodeAsync(format, findings);
        using var output = new MemoryStream();

        // Act
        await using (var encoder = format.CreateEncoder(_context, output))
        {
            foreach (var finding in findings)
            {
                var lent = finding.ToArray();
                await encoder.AddAsync(lent, TestContext.CancellationToken);
                lent.AsSpan().Fill((byte)'#');
            }

            await encoder.CompleteAsync(TestContext.CancellationToken);
        }

        // Assert
        CollectionAssert.AreEqual(expected, output.ToArray());
    }

    private async Task<byte[]> EncodeAsync(IPartFormat format, IReadOnlyList<byte[]> findings)
    {
        using var output = new MemoryStream();
        await using (var encoder = format.CreateEncoder(_context, output))
        {
            foreach (var finding in findings)
            {
                await encoder.AddAsync(finding, TestContext.CancellationToken);
            }

            await encoder.CompleteAsync(TestContext.CancellationToken);
        }

        return output.ToArray();
    }
}
