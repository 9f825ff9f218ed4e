using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using SecHubFanout.Emulator.Tests.Support;

namespace SecHubFanout.Emulator.Tests.Protocol;

/// <summary>STS GetCallerIdentity and EC2 DescribeRegions, and the authentication every call goes through.</summary>
[TestClass]
public sealed class QueryProtocolTests
{
    private static SecurityHubEmulator _emulator = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) =>
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = ["111111111111", "000000000000"],
            Regions = ["us-east-1", "eu-west-1"],
            DisabledRegions = ["ap-south-1"],
            FindingsPerRegion = 5,
        });

    [ClassCleanup]
    public static async Task StopAsync() => await _emulator.DisposeAsync();

    [TestMethod]
    [DataRow("111111111111", "111111111111")]
    [DataRow("test", "000000000000")]
    public async Task GetCallerIdentity_WithAwsSdk_ReturnsTheAccountOfTheAccessKey(string accessKeyId, string account)
    {
        using var sts = StsClient(accessKeyId, "test");

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.AreEqual(account, identity.Account);
        StringAssert.StartsWith(identity.Arn, $"arn:aws:iam::{account}:");
    }

    [TestMethod]
    public async Task GetCallerIdentity_WrongSecret_ThrowsSignatureError()
    {
        using var sts = StsClient("111111111111", "wrong");

        var e = await Assert.ThrowsExactlyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.AreEqual("InvalidSignatureException", e.ErrorCode);
        Assert.AreEqual(HttpStatusCode.Forbidden, e.StatusCode);
    }

    [TestMethod]
    public async Task GetCallerIdentity_UnknownAccount_ThrowsNamingTheExistingAccounts()
    {
        using var sts = StsClient("222222222222", "test");

        var e = await Assert.ThrowsExactlyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.AreEqual("UnrecognizedClientException", e.ErrorCode);
        StringAssert.Contains(e.Message, "111111111111");
    }

    [TestMethod]
    public async Task DescribeRegions_ListsEnabledAndDisabledRegionsInTheEc2Namespace()
    {
        using var client = new SignedClient(_emulator.Endpoint, "111111111111");

        var reply = await client.PostAsync("/", "Action=DescribeRegions&Version=2016-11-15", "us-east-1", "ec2", "application/x-www-form-urlencoded");

        Assert.AreEqual(HttpStatusCode.OK, reply.Status, reply.Text);
        XNamespace ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";
        var root = XDocument.Parse(reply.Text).Root!;
        Assert.AreEqual(ec2 + "DescribeRegionsResponse", root.Name);
        var names = root.Element(ec2 + "regionInfo")!.Elements(ec2 + "item").Select(i => i.Element(ec2 + "regionName")!.Value).ToList();
        CollectionAssert.AreEquivalent(new[] { "us-east-1", "eu-west-1", "ap-south-1" }, names);
        Assert.AreEqual("ec2.eu-west-1.amazonaws.com", root.Descendants(ec2 + "regionEndpoint").ElementAt(1).Value);
    }

    [TestMethod]
    public async Task Request_WithoutAuthorization_Answers403MissingAuthenticationToken()
    {
        using var http = new HttpClient { BaseAddress = _emulator.Endpoint };

        using var response = await http.PostAsync(new Uri("/findings", UriKind.Relative), new StringContent("{}"));

        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.AreEqual("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [TestMethod]
    public async Task GetFindings_RegionUnknownToTheEmulator_Answers403NamingTheRegions()
    {
        using var client = new SignedClient(_emulator.Endpoint, "111111111111");

        var reply = await client.GetFindingsAsync(new { }, "sa-east-1");

        Assert.AreEqual(HttpStatusCode.Forbidden, reply.Status);
        StringAssert.Contains(reply.Text, "eu-west-1");
    }

    [TestMethod]
    public async Task UnknownAction_AnswersXmlError()
    {
        using var client = new SignedClient(_emulator.Endpoint, "111111111111");

        var reply = await client.PostAsync("/", "Action=AssumeRole&Version=2011-06-15", "us-east-1", "sts", "application/x-www-form-urlencoded");

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        StringAssert.Contains(reply.Text, "<Code>InvalidAction</Code>");
    }

    private static AmazonSecurityTokenServiceClient StsClient(string accessKeyId, string secret) =>
        new(new BasicAWSCredentials(accessKeyId, secret), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = _emulator.Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
}
