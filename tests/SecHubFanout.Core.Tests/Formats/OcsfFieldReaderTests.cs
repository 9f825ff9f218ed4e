using System.Text;
using SecHubFanout.Core.Formats;

namespace SecHubFanout.Core.Tests.Formats;

[TestClass]
public sealed class OcsfFieldReaderTests
{
    [TestMethod]
    public void Read_OcsfFinding_FillsEveryColumnFromItsPath()
    {
        const string Finding = """
            {"class_uid":2003,"class_name":"Compliance Finding","severity":"High","severity_id":4,"status":"New","status_id":1,
             "finding_info":{"uid":"f-1","title":"Zugriff — 東京","types":["a","b"],"created_time_dt":"2026-11-01T10:00:00.000Z",
               "modified_time":1764583200123,"first_seen_time_dt":"2026-11-01T12:00:00+02:00"},
             "metadata":{"uid":"m-1","version":"1.6.0","product":{"name":"Security Hub","uid":"arn:p"}},
             "cloud":{"account":{"uid":"111111111111"},"region":"eu-west-1"},
             "compliance":{"status":"Fail","control":"S3.1"},
             "resources":[{"type":"AWS::S3::Bucket","uid":"arn:b","region":"global"},{"uid":"arn:x"}]}
            """;

        var f = OcsfFieldReader.Read(Encoding.UTF8.GetBytes(Finding));

        Assert.AreEqual("f-1", f.FindingUid);
        Assert.AreEqual("m-1", f.MetadataUid);
        Assert.AreEqual(2003, f.ClassUid);
        Assert.AreEqual("Zugriff — 東京", f.Title);
        CollectionAssert.AreEqual(new[] { "a", "b" }, f.Types!.ToList());
        Assert.AreEqual("Security Hub", f.ProductName);
        Assert.AreEqual("111111111111", f.CloudAccountUid);
        Assert.AreEqual("eu-west-1", f.CloudRegion);
        Assert.AreEqual(4, f.SeverityId);
        Assert.AreEqual("Fail", f.ComplianceStatus);
        Assert.AreEqual("S3.1", f.ComplianceControl);
        CollectionAssert.AreEqual(new[] { "AWS::S3::Bucket", null }, f.ResourceTypes!.ToList());
        CollectionAssert.AreEqual(new[] { "global", null }, f.ResourceRegions!.ToList());
        Assert.AreEqual(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), f.CreatedTime);
        Assert.AreEqual(DateTimeOffset.FromUnixTimeMilliseconds(1764583200123), f.ModifiedTime, "epoch milliseconds when no _dt string");
        Assert.AreEqual(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), f.FirstSeenTime, "converted to UTC");
        Assert.IsNull(f.LastSeenTime);
    }

    [TestMethod]
    [DataRow("""{"class_uid":"2003"}""", "class_uid")]
    [DataRow("""{"finding_info":{"uid":7}}""", "finding_info.uid")]
    [DataRow("""{"finding_info":{"modified_time_dt":"yesterday"}}""", "finding_info.modified_time_dt")]
    [DataRow("""{"resources":{}}""", "resources")]
    [DataRow("""[1]""", "not a JSON object")]
    [DataRow("""{"a":""", "malformed JSON")]
    public void Read_WrongShape_ThrowsNamingThePosition(string json, string expected)
    {
        var e = Assert.ThrowsExactly<InvalidFindingException>(() => OcsfFieldReader.Read(Encoding.UTF8.GetBytes(json), 7));

        StringAssert.Contains(e.Message, expected);
        StringAssert.Contains(e.Message, "7");
    }
}
