using System.Text;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Aws.Tests.Ec2;

[TestClass]
public sealed class Ec2RegionCatalogTests
{
    private const string Answer = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <regionInfo>
            <item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
            <item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
            <item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint><optInStatus>opted-in</optInStatus></item>
          </regionInfo>
        </DescribeRegionsResponse>
        """;

    [TestMethod]
    public async Task ListEnabledRegionsAsync_DescribeRegionsAnswer_ReturnsSortedNames()
    {
        // Arrange
        await using var server = await StubAwsServer.StartAsync(static (_, http) => StubAnswers.WriteAsync(http, 200, "text/xml;charset=UTF-8", Answer));
        using var clients = StubAnswers.CreateClients(server);

        // Act
        var regions = await clients.CreateRegionCatalog().ListEnabledRegionsAsync("eu-west-1", CancellationToken.None);

        // Assert
        CollectionAssert.AreEqual(new[] { "af-south-1", "eu-west-1", "us-east-1" }, regions.ToArray());
        var sent = server.Requests.Single();
        Assert.AreEqual("Action=DescribeRegions&Version=2016-11-15", Encoding.UTF8.GetString(sent.Body));
        Assert.AreEqual("application/x-www-form-urlencoded; charset=utf-8", sent.Headers["content-type"]);
        Assert.IsTrue(sent.Signature.IsValid, sent.Signature.Error);
        Assert.AreEqual("ec2", sent.Signature.Service);
    }
}
