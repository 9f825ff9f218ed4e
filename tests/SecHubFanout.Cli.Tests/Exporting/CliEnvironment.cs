using System.Diagnostics;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>The environment a child sechub-fanout runs in: only the AWS settings a test gives, none inherited from the machine.</summary>
internal static class CliEnvironment
{
    private static readonly string[] _inherited =
    [
        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECURITYHUB", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_S3",
    ];

    /// <summary>Credentials of an emulator account (access key = account ID, secret "test"), plain output, no instance metadata lookups.</summary>
    public static ProcessStartInfo ForAccount(string accountId, string region = "us-east-1", string secret = "test")
    {
        var info = Empty();
        info.Environment["AWS_ACCESS_KEY_ID"] = accountId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        info.Environment["AWS_REGION"] = region;
        return info;
    }

    /// <summary>No AWS credentials at all: no variables, no shared files, no instance metadata.</summary>
    public static ProcessStartInfo Empty()
    {
        var info = new ProcessStartInfo("dotnet");
        foreach (var name in _inherited)
        {
            info.Environment.Remove(name);
        }

        var nowhere = Path.Combine(Path.GetTempPath(), "no-aws-" + Guid.NewGuid().ToString("N"));
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(nowhere, "credentials");
        info.Environment["AWS_CONFIG_FILE"] = Path.Combine(nowhere, "config");
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        info.Environment["CI"] = "true";
        return info;
    }
}
