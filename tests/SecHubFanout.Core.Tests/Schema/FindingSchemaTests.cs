using SecHubFanout.Core.Schema;

namespace SecHubFanout.Core.Tests.Schema;

[TestClass]
public sealed class FindingSchemaTests
{
    [TestMethod]
    public void Columns_Names_AreUniqueSnakeCase()
    {
        var names = FindingSchema.Columns.Select(c => c.Name).ToList();

        CollectionAssert.AllItemsAreUnique(names);
        foreach (var name in names)
        {
            StringAssert.Matches(name, new System.Text.RegularExpressions.Regex("^[a-z][a-z0-9_]*$"));
        }
    }

    [TestMethod]
    public void PartitionKeys_StartWithAccount_ForTheBucketPolicy()
    {
        Assert.AreEqual("account_id", FindingSchema.PartitionKeys[0].Name);
    }
}
