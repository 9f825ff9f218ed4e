using SecHubFanout.Aws.Endpoints;

namespace SecHubFanout.Aws.Tests.Endpoints;

[TestClass]
public sealed class AwsEndpointResolverTests
{
    private static readonly Dictionary<string, string> AllConfigured = new()
    {
        ["AWS_ENDPOINT_URL_SECURITYHUB"] = "http://127.0.0.1:9001",
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000",
    };

    [TestMethod]
    public void Resolve_ExplicitAndEnvironment_ExplicitWins()
    {
        // Arrange
        var resolver = new AwsEndpointResolver(new Uri("http://127.0.0.1:7000"), Env(AllConfigured));

        // Act
        var endpoint = resolver.Resolve(AwsService.SecurityHub, "eu-west-1");

        // Assert
        Assert.AreEqual(new Uri("http://127.0.0.1:7000"), endpoint.Url);
        Assert.AreEqual("eu-west-1", endpoint.SigningRegion);
        Assert.IsTrue(endpoint.IsCustom);
    }

    [TestMethod]
    public void Resolve_ServiceAndGlobalVariables_ServiceVariableWins()
    {
        // Arrange
        var resolver = new AwsEndpointResolver(null, Env(AllConfigured));

        // Act
        var securityHub = resolver.Resolve(AwsService.SecurityHub, "eu-west-1");
        var sns = resolver.Resolve(AwsService.Sns, "eu-west-1");

        // Assert
        Assert.AreEqual(new Uri("http://127.0.0.1:9001"), securityHub.Url);
        Assert.AreEqual(new Uri("http://127.0.0.1:9000"), sns.Url);
    }

    [TestMethod]
    [DataRow("SECURITYHUB", "Security Hub")]
    [DataRow("S3", "S3")]
    [DataRow("STS", "STS")]
    [DataRow("EC2", "EC2")]
    [DataRow("DYNAMODB", "DynamoDB")]
    [DataRow("SSM", "Systems Manager")]
    [DataRow("SNS", "SNS")]
    [DataRow("SFN", "Step Functions")]
    [DataRow("ORGANIZATIONS", "Organizations")]
    [DataRow("EVENTBRIDGE", "EventBridge")]
    [DataRow("GLUE", "Glue")]
    [DataRow("CLOUDFORMATION", "CloudFormation")]
    public void Resolve_ServiceVariable_AppliesToThatServiceOnly(string suffix, string displayName)
    {
        // Arrange
        var services = new[]
        {
            AwsService.SecurityHub, AwsService.S3, AwsService.Sts, AwsService.Ec2, AwsService.DynamoDb, AwsService.Ssm, AwsService.Sns,
            AwsService.StepFunctions, AwsService.Organizations, AwsService.EventBridge, AwsService.Glue, AwsService.CloudFormation,
        };
        var resolver = new AwsEndpointResolver(null, Env(new() { [$"AWS_ENDPOINT_URL_{suffix}"] = "http://127.0.0.1:9100" }));

        // Act
        var custom = services.Where(s => resolver.Resolve(s, "eu-west-1").IsCustom).Select(static s => s.DisplayName).ToArray();

        // Assert
        CollectionAssert.AreEqual(new[] { displayName }, custom);
    }

    [TestMethod]
    public void Resolve_IgnoreConfiguredEndpoints_UsesDefaultButKeepsExplicit()
    {
        // Arrange
        var env = new Dictionary<string, string>(AllConfigured) { ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true" };
        var fromEnv = new AwsEndpointResolver(null, Env(env));
        var explicitOne = new AwsEndpointResolver(new Uri("http://127.0.0.1:7000"), Env(env));

        // Act
        var ignored = fromEnv.Resolve(AwsService.SecurityHub, "eu-west-1");
        var kept = explicitOne.Resolve(AwsService.SecurityHub, "eu-west-1");

        // Assert
        Assert.AreEqual(new Uri("https://securityhub.eu-west-1.amazonaws.com/"), ignored.Url);
        Assert.IsFalse(ignored.IsCustom);
        Assert.AreEqual(new Uri("http://127.0.0.1:7000"), kept.Url);
    }

    [TestMethod]
    [DataRow("securityhub", "eu-west-1", "https://securityhub.eu-west-1.amazonaws.com/", "eu-west-1")]
    [DataRow("states", "ap-southeast-2", "https://states.ap-southeast-2.amazonaws.com/", "ap-southeast-2")]
    [DataRow("events", "cn-north-1", "https://events.cn-north-1.amazonaws.com.cn/", "cn-north-1")]
    [DataRow("organizations", "eu-west-1", "https://organizations.us-east-1.amazonaws.com/", "us-east-1")]
    [DataRow("organizations", "cn-north-1", "https://organizations.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1")]
    [DataRow("organizations", "us-gov-east-1", "https://organizations.us-gov-west-1.amazonaws.com/", "us-gov-west-1")]
    public void Resolve_NothingConfigured_RegionalDefaultInPartition(string prefix, string region, string expectedUrl, string expectedSigningRegion)
    {
        // Arrange
        var service = new[] { AwsService.SecurityHub, AwsService.StepFunctions, AwsService.EventBridge, AwsService.Organizations }.Single(s => s.EndpointPrefix == prefix);
        var resolver = new AwsEndpointResolver(null, static _ => null);

        // Act
        var endpoint = resolver.Resolve(service, region);

        // Assert
        Assert.AreEqual(new Uri(expectedUrl), endpoint.Url);
        Assert.AreEqual(expectedSigningRegion, endpoint.SigningRegion);
        Assert.IsFalse(endpoint.IsCustom);
    }

    [TestMethod]
    public void Resolve_MalformedVariable_ThrowsNamingTheVariable()
    {
        // Arrange
        var resolver = new AwsEndpointResolver(null, Env(new() { ["AWS_ENDPOINT_URL"] = "localhost:4566" }));

        // Act
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => resolver.Resolve(AwsService.Sns, "eu-west-1"));

        // Assert
        Assert.Contains("AWS_ENDPOINT_URL", e.Message);
        Assert.Contains("http://127.0.0.1:4566", e.Message);
    }

    private static Func<string, string?> Env(Dictionary<string, string> values) => name => values.TryGetValue(name, out var v) ? v : null;
}
