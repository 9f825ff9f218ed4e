using SecHubFanout.Core.Parts;

namespace SecHubFanout.Core.Tests.Parts;

[TestClass]
public sealed class PartKeysTests
{
    private static readonly DateTimeOffset s_end = new(2026, 11, 23, 23, 59, 59, 999, TimeSpan.Zero);

    [TestMethod]
    public void PartKey_Layout_AccountFirstHivePartitionsZeroPadded()
    {
        var prefix = PartKeys.PartitionPrefix("exp-1", "123456789012", "eu-west-1", s_end);

        var key = PartKeys.PartKey(prefix, 7, 42, ".parquet");

        Assert.AreEqual("findings/account_id=123456789012/region=eu-west-1/export_date=2026-11-23/export_id=exp-1/part-0007-00042.parquet", key);
    }

    [TestMethod]
    public void PartitionPrefix_NonUtcEnd_UsesTheUtcDate()
    {
        var prefix = PartKeys.PartitionPrefix("e", "123456789012", "us-east-1", new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.FromHours(3)));

        StringAssert.Contains(prefix, "export_date=2026-11-23/");
    }

    [TestMethod]
    public void PartKey_Order_SortsByWindowThenSequence()
    {
        var keys = new[] { (2, 0), (0, 10), (0, 2), (10, 1) }.Select(k => PartKeys.PartKey("p/", k.Item1, k.Item2, ".x")).ToList();

        var sorted = keys.Order(StringComparer.Ordinal).ToList();

        CollectionAssert.AreEqual(new[] { "p/part-0000-00002.x", "p/part-0000-00010.x", "p/part-0002-00000.x", "p/part-0010-00001.x" }, sorted);
    }

    [TestMethod]
    [DataRow("a/b", "123456789012", "us-east-1")]
    [DataRow("", "123456789012", "us-east-1")]
    [DataRow("exp", "12345", "us-east-1")]
    [DataRow("exp", "123456789012", "US-EAST-1")]
    [DataRow("exp", "123456789012", "us-east-1/..")]
    public void PartitionPrefix_UnsafeSegment_Throws(string exportId, string accountId, string region)
    {
        Assert.ThrowsExactly<ArgumentException>(() => PartKeys.PartitionPrefix(exportId, accountId, region, s_end));
    }
}
