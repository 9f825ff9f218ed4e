using System.Text;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Tests.Findings;

[TestClass]
public sealed class FindingInstantsTests
{
    private static readonly DateTimeOffset s_instant = new(2026, 11, 30, 12, 34, 56, 789, TimeSpan.Zero);

    [TestMethod]
    [DataRow("""{"Id":"a","Resources":[{"UpdatedAt":"2001-01-01T00:00:00Z"}],"UpdatedAt":"2026-11-30T12:34:56.789Z"}""")]
    [DataRow("""{"UpdatedAt":"2026-11-30T13:34:56.789+01:00"}""")]
    public void ReadWindowInstant_Asff_ReadsTopLevelUpdatedAtOnly(string json) =>
        Assert.AreEqual(s_instant, FindingInstants.ReadWindowInstant(Encoding.UTF8.GetBytes(json), FindingsApi.V1));

    [TestMethod]
    [DataRow("""{"modified_time_dt":"2001-01-01T00:00:00Z","finding_info":{"uid":"x","created_time_dt":"2001-01-01T00:00:00Z","types":["a"],"modified_time_dt":"2026-11-30T12:34:56.789Z"},"time_dt":"2002-01-01T00:00:00Z"}""")]
    [DataRow("""{"metadata":{"modified_time_dt":"2001-01-01T00:00:00Z"},"finding_info":{"modified_time_dt":"2026-11-30T12:34:56.789Z"}}""")]
    public void ReadWindowInstant_Ocsf_ReadsFindingInfoModifiedTime(string json) =>
        Assert.AreEqual(s_instant, FindingInstants.ReadWindowInstant(Encoding.UTF8.GetBytes(json), FindingsApi.V2));

    [TestMethod]
    [DataRow("""{"finding_info":{"uid":"x"}}""")]
    [DataRow("""{"finding_info":"2026-11-30T12:34:56.789Z"}""")]
    [DataRow("""{"finding_info":{"modified_time_dt":1764506096789}}""")]
    [DataRow("""{"modified_time_dt":"2026-11-30T12:34:56.789Z"}""")]
    [DataRow("""not json""")]
    public void ReadWindowInstant_OcsfWithoutTheField_IsNull(string json) =>
        Assert.IsNull(FindingInstants.ReadWindowInstant(Encoding.UTF8.GetBytes(json), FindingsApi.V2));
}
