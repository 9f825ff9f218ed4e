using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;

namespace SecHubFanout.Core.Tests.Orchestration;

/// <summary>One rule per identifier (Region names, account IDs, export IDs as key segments), asked without exceptions.</summary>
[TestClass]
public sealed class IdentifierRulesTests
{
    [TestMethod]
    [DataRow("us-east-1")]
    [DataRow("us-gov-west-1")]
    [DataRow("ap-southeast-2")]
    [DataRow("eusc-de-east-1")]
    [DataRow("cn-northwest-1")]
    public void RegionNames_RealRegion_IsValidAndParses(string name)
    {
        Assert.IsTrue(RegionNames.IsValid(name));
        Assert.IsTrue(RegionNames.TryParse(name, out var parsed));
        Assert.AreEqual(name, parsed);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("US-EAST-1")]
    [DataRow("us-east")]
    [DataRow("us_east_1")]
    [DataRow("us-east-1/")]
    [DataRow("us--east-1")]
    [DataRow("u-east-1")]
    [DataRow("us-east-1a")]
    [DataRow("xx-very-very-long-name-123")]
    public void RegionNames_NotARegion_IsInvalidAndSaysWhy(string? name)
    {
        Assert.IsFalse(RegionNames.IsValid(name));
        Assert.IsFalse(RegionNames.TryParse(name, out var parsed));
        Assert.IsNull(parsed);
        StringAssert.Contains(RegionNames.Problem(name), $"'{name}' is not a Region name");
    }

    [TestMethod]
    [DataRow("123456789012", true)]
    [DataRow("000000000000", true)]
    [DataRow("12345678901", false)]
    [DataRow("1234567890123", false)]
    [DataRow("12345678901a", false)]
    [DataRow("１２３４５６７８９０１２", false)]
    [DataRow(null, false)]
    public void AccountIds_TwelveAsciiDigitsOnly(string? value, bool valid)
    {
        Assert.AreEqual(valid, AccountIds.IsValid(value));
        Assert.AreEqual(valid, AccountIds.TryParse(value, out var parsed));
        Assert.AreEqual(valid ? value : null, parsed);
    }

    [TestMethod]
    public void TryValidateSegments_NamesTheFirstBadInput()
    {
        Assert.IsTrue(PartKeys.TryValidateSegments("e1", "123456789012", "eu-west-1", out var none));
        Assert.IsNull(none);

        Assert.IsFalse(PartKeys.TryValidateSegments("a/b", "123456789012", "eu-west-1", out var exportProblem));
        StringAssert.StartsWith(exportProblem, "export ID \"a/b\"");
        Assert.IsFalse(PartKeys.TryValidateSegments("e1", "12345", "eu-west-1", out var accountProblem));
        Assert.AreEqual(AccountIds.Problem("12345"), accountProblem);
        Assert.IsFalse(PartKeys.TryValidateSegments("e1", "123456789012", "eu/west-1", out var regionProblem));
        Assert.AreEqual(RegionNames.Problem("eu/west-1"), regionProblem);
    }
}
