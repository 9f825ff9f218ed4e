using System.Text;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Aws.Tests.Protocols;

[TestClass]
public sealed class ProtocolRequestShapeTests
{
    [TestMethod]
    [DataRow("Organizations", "AWSOrganizationsV20161128.ListAccounts", "application/x-amz-json-1.1", "us-east-1")]
    [DataRow("StepFunctions", "AWSStepFunctions.ListAccounts", "application/x-amz-json-1.0", "eu-west-1")]
    public async Task InvokeAsync_JsonService_SendsTargetContentTypeAndScope(string serviceName, string expectedTarget, string expectedContentType, string expectedSigningRegion)
    {
        // Arrange
        var service = serviceName == "Organizations" ? AwsService.Organizations : AwsService.StepFunctions;
        await using var server = await StubAwsServer.StartAsync(static (_, http) => StubAnswers.WriteAsync(http, 200, "application/x-amz-json-1.1", "{\"Accounts\":[]}"));
        using var clients = StubAnswers.CreateClients(server);

        // Act
        var answer = await clients.Json.InvokeAsync(new AwsCallContext(service, "eu-west-1", "ListAccounts"), "{\"MaxResults\":20}"u8.ToArray(), CancellationToken.None);

        // Assert
        var sent = server.Requests.Single();
        Assert.AreEqual("{\"Accounts\":[]}", Encoding.UTF8.GetString(answer));
        Assert.AreEqual("/", sent.Path);
        Assert.AreEqual(expectedTarget, sent.Headers["x-amz-target"]);
        Assert.AreEqual(expectedContentType, sent.Headers["content-type"]);
        Assert.AreEqual("{\"MaxResults\":20}", Encoding.UTF8.GetString(sent.Body));
        Assert.IsTrue(sent.Signature.IsValid, sent.Signature.Error);
        Assert.AreEqual(expectedSigningRegion, sent.Signature.Region);
        Assert.AreEqual(service.SigningName, sent.Signature.Service);
    }

    [TestMethod]
    public async Task InvokeAsync_QueryParameters_FormEncodedRfc3986()
    {
        // Arrange
        await using var server = await StubAwsServer.StartAsync(static (_, http) => StubAnswers.WriteAsync(http, 200, "text/xml", "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"));
        using var clients = StubAnswers.CreateClients(server);

        // Act
        var root = await clients.Query.InvokeAsync(
            new AwsCallContext(AwsService.Sns, "eu-west-1", "Publish"),
            [new("TopicArn", "arn:aws:sns:eu-west-1:111122223333:t"), new("Message", "a b&c=é~")],
            CancellationToken.None);

        // Assert
        Assert.AreEqual("m-1", root.Descendants().Single(static e => e.Name.LocalName == "MessageId").Value);
        Assert.AreEqual(
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A111122223333%3At&Message=a%20b%26c%3D%C3%A9~",
            Encoding.UTF8.GetString(server.Requests.Single().Body));
        Assert.IsTrue(server.Requests.Single().Signature.IsValid);
    }
}
