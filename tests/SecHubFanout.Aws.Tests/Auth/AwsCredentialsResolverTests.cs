using SecHubFanout.Aws.Auth;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.Tests.Auth;

[TestClass]
public sealed class AwsCredentialsResolverTests
{
    private static string s_file = null!;

    [ClassInitialize]
    public static void WriteProfiles(TestContext context)
    {
        s_file = Path.Combine(Path.GetTempPath(), $"sechub-fanout-credentials-{Guid.NewGuid():N}");
        File.WriteAllText(s_file, "[audit]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\naws_session_token = profile-token\n");
    }

    [ClassCleanup]
    public static void DeleteProfiles() => File.Delete(s_file);

    [TestMethod]
    public async Task ResolveAsync_NamedProfile_ReturnsItsCredentials()
    {
        // Arrange
        var resolver = new AwsCredentialsResolver(s_file);

        // Act
        var credentials = await (await resolver.ResolveAsync("audit", CancellationToken.None)).GetCredentialsAsync();

        // Assert
        Assert.AreEqual("AKIDPROFILE", credentials.AccessKey);
        Assert.AreEqual("profile-secret", credentials.SecretKey);
        Assert.AreEqual("profile-token", credentials.Token);
    }

    [TestMethod]
    public async Task ResolveAsync_UnknownProfile_AccessDeniedNamingProfileAndFix()
    {
        // Arrange
        var resolver = new AwsCredentialsResolver(s_file);

        // Act
        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => resolver.ResolveAsync("nope", CancellationToken.None));

        // Assert
        Assert.AreEqual(ServiceErrorKind.AccessDenied, e.Kind);
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("aws sso login --profile nope", e.Message);
    }
}
