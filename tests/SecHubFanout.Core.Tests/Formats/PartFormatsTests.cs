using SecHubFanout.Core.Formats;

namespace SecHubFanout.Core.Tests.Formats;

[TestClass]
public sealed class PartFormatsTests
{
    [TestMethod]
    [DataRow("parquet", typeof(ParquetPartFormat))]
    [DataRow("jsonl", typeof(JsonlGzPartFormat))]
    [DataRow("PARQUET", typeof(ParquetPartFormat))]
    public void Get_KnownName_ReturnsFormat(string name, Type type)
    {
        Assert.IsInstanceOfType(PartFormats.Get(name), type);
    }

    [TestMethod]
    public void Get_UnknownName_ThrowsListingValidNames()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => PartFormats.Get("csv"));

        StringAssert.Contains(ex.Message, "Unknown format 'csv'. Valid formats: parquet, jsonl.");
    }

    [TestMethod]
    public void Names_ListsParquetFirst()
    {
        CollectionAssert.AreEqual(new[] { "parquet", "jsonl" }, PartFormats.Names.ToArray());
    }
}
