using System.Text.Json;
using SecHubFanout.Core.Export;

namespace SecHubFanout.Core.Tests.Export;

[TestClass]
public sealed class ExportJsonContextTests
{
    [TestMethod]
    public void Serialize_RegionResult_StatusAsKebabCaseWord()
    {
        var result = new RegionResult("eu-west-1", RegionStatus.NotEnabled, "not subscribed", 0, 0, 0, 0, 0, 0, 0, TimeSpan.FromSeconds(1.5), "findings/x/", null);

        var json = JsonSerializer.Serialize(result, ExportJsonContext.Default.RegionResult);
        var back = JsonSerializer.Deserialize(json, ExportJsonContext.Default.RegionResult);

        StringAssert.Contains(json, "\"status\":\"not-enabled\"");
        Assert.AreEqual(result, back);
    }
}
