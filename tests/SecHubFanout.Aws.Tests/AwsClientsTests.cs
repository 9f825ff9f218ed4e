using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Aws.Tests;

[TestClass]
public sealed class AwsClientsTests
{
    [TestMethod]
    public async Task CreateStsClient_CustomEndpoint_SdkCallReachesItSignedForTheRegion()
    {
        // Arrange
        const string answer = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/x</Arn><UserId>AIDA</UserId><Account>111122223333</Account></GetCallerIdentityResult>
              <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>
            """;
        await using var server = await StubAwsServer.StartAsync(static (_, http) => StubAnswers.WriteAsync(http, 200, "text/xml", answer));
        using var clients = StubAnswers.CreateClients(server);
        using var sts = clients.CreateStsClient();

        // Act
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        // Assert
        Assert.AreEqual("111122223333", identity.Account);
        var sent = server.Requests.Single();
        Assert.IsTrue(sent.Signature.IsValid, sent.Signature.Error);
        Assert.AreEqual("eu-west-1", sent.Signature.Region);
        Assert.AreEqual("sts", sent.Signature.Service);
    }

    [TestMethod]
    public void CreateS3Client_CustomEndpoint_PathStyleAndSigningRegion()
    {
        // Arrange
        using var clients = AwsClients.Create(new AwsClientOptions
        {
            Credentials = new BasicAWSCredentials("AKID", "secret"),
            EndpointUrl = new Uri("http://127.0.0.1:4568"),
            Region = "eu-central-1",
            Environment = static _ => null,
        });

        // Act
        using var s3 = clients.CreateS3Client();
        var config = (Amazon.S3.AmazonS3Config)s3.Config;

        // Assert
        Assert.IsTrue(config.ForcePathStyle);
        Assert.AreEqual("http://127.0.0.1:4568/", config.ServiceURL);
        Assert.AreEqual("eu-central-1", config.AuthenticationRegion);
        Assert.AreEqual(RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
    }

    [TestMethod]
    public void CreateDynamoDbClient_NoOverride_RegionalEndpoint()
    {
        // Arrange
        using var clients = AwsClients.Create(new AwsClientOptions
        {
            Credentials = new BasicAWSCredentials("AKID", "secret"),
            Environment = static name => name == "AWS_REGION" ? "ap-northeast-1" : null,
        });

        // Act
        using var dynamo = clients.CreateDynamoDbClient();

        // Assert
        Assert.AreEqual("ap-northeast-1", clients.HomeRegion);
        Assert.AreEqual(Amazon.RegionEndpoint.APNortheast1, dynamo.Config.RegionEndpoint);
        Assert.IsNull(dynamo.Config.ServiceURL);
    }

    [TestMethod]
    public void CreateSsmClient_NoRegionAnywhere_ThrowsWithRemedy()
    {
        // Arrange
        using var clients = AwsClients.Create(new AwsClientOptions { Credentials = new BasicAWSCredentials("AKID", "secret"), Environment = static _ => null });

        // Act
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => clients.CreateSsmClient());

        // Assert
        Assert.Contains("--region", e.Message);
    }

    [TestMethod]
    public async Task WithCredentials_OtherKeys_SignsWithThemOverSharedConnections()
    {
        // Arrange
        await using var server = await StubAwsServer.StartAsync(static (_, http) => StubAnswers.WriteAsync(http, 200, "application/json", "{\"Findings\":[]}"));
        using var clients = StubAnswers.CreateClients(server);
        using var member = clients.WithCredentials(new SessionAWSCredentials("AKIDMEMBER", "member-secret", "member-token"), "222233334444");

        // Act
        await member.CreateFindingSource().GetFindingsAsync(new("eu-west-1", "{}"u8.ToArray(), null), CancellationToken.None);
        await clients.CreateFindingSource().GetFindingsAsync(new("eu-west-1", "{}"u8.ToArray(), null), CancellationToken.None);

        // Assert
        var sent = server.Requests;
        Assert.Contains("Credential=AKIDMEMBER/", sent[0].Headers["authorization"]);
        Assert.AreEqual("member-token", sent[0].Headers["x-amz-security-token"]);
        Assert.IsTrue(sent[1].Signature.IsValid, sent[1].Signature.Error);
    }
}
