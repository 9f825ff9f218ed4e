using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Tests.Queries;

[TestClass]
public sealed class OwnFindingsScopeTests
{
    private const string Account = "111122223333";
    private const string Critical = """{"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}]}""";

    [TestMethod]
    public void Apply_NoFilters_AddsOwnAccountThenOwnRegion()
    {
        var scoped = OwnFindingsScope.Apply(FindingFilters.None, Account, "eu-west-1");

        Assert.AreEqual(
            """{"Filters":{"AwsAccountId":[{"Value":"111122223333","Comparison":"EQUALS"}],"Region":[{"Value":"eu-west-1","Comparison":"EQUALS"}],"UpdatedAt":[{"Start":"2026-01-01T00:00:00.000Z","End":"2026-01-02T00:00:00.000Z"}]},"SortCriteria":[{"Field":"UpdatedAt","SortOrder":"asc"}],"MaxResults":100}""",
            Body(scoped));
    }

    [TestMethod]
    public void Apply_UserFilters_KeptFirstAndVerbatim()
    {
        var scoped = OwnFindingsScope.Apply(FindingFilters.Parse(Critical), Account, "eu-west-1");

        CollectionAssert.AreEqual(new[] { "SeverityLabel", "AwsAccountId", "Region" }, scoped.Fields.Select(f => f.Key).ToList());
        StringAssert.StartsWith(Body(scoped), """{"Filters":{"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}],"AwsAccountId":""");
    }

    [TestMethod]
    public void Apply_FiltersNameTheAccount_AccountFilterLeftAsGiven()
    {
        var given = FindingFilters.Parse("""{"AwsAccountId":[{"Value":"444455556666","Comparison":"EQUALS"},{"Value":"777788889999","Comparison":"EQUALS"}]}""");

        var scoped = OwnFindingsScope.Apply(given, Account, "us-east-1");

        CollectionAssert.AreEqual(new[] { "AwsAccountId", "Region" }, scoped.Fields.Select(f => f.Key).ToList());
        Assert.DoesNotContain(Account, Body(scoped));
    }

    [TestMethod]
    public void Apply_FiltersNameBoth_ReturnsTheSameFilters()
    {
        var given = FindingFilters.Parse("""{"Region":[{"Value":"us-","Comparison":"PREFIX"}],"AwsAccountId":[{"Value":"4444","Comparison":"PREFIX"}]}""");

        Assert.AreSame(given, OwnFindingsScope.Apply(given, Account, "us-east-1"));
    }

    [TestMethod]
    public void Apply_SameInputsTwice_SameBytesAndFingerprint_OtherRegionDifferent()
    {
        var first = OwnFindingsScope.Apply(FindingFilters.Parse(Critical), Account, "eu-west-1");
        var again = OwnFindingsScope.Apply(FindingFilters.Parse(Critical), Account, "eu-west-1");
        var other = OwnFindingsScope.Apply(FindingFilters.Parse(Critical), Account, "us-east-1");

        Assert.AreEqual(Body(first), Body(again));
        Assert.AreEqual(first.Fingerprint, again.Fingerprint);
        Assert.AreNotEqual(first.Fingerprint, other.Fingerprint);
        Assert.AreNotEqual(FindingFilters.Parse(Critical).Fingerprint, first.Fingerprint);
    }

    private static string Body(FindingFilters filters)
    {
        var window = new UpdatedAtWindow(0, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        return System.Text.Encoding.UTF8.GetString(FindingsQuery.Build(filters, window, 100).Span);
    }
}
