namespace SecHubFanout.Aws.Orchestration;

/// <summary>Reads the parts of ARNs that configuration gives (topic, state machine).</summary>
public static class Arns
{
    /// <summary>The Region of <paramref name="arn"/>; throws a message naming the expected service when it is not an ARN of it.</summary>
    public static string Region(string arn, string service)
    {
        var parts = (arn ?? string.Empty).Split(':');
        if (parts.Length < 6 || parts[0] != "arn" || parts[2] != service || parts[3].Length == 0)
        {
            throw new ArgumentException($"'{arn}' is not an {service} ARN (arn:aws:{service}:<region>:<account>:...)", nameof(arn));
        }

        return parts[3];
    }

    /// <summary>The partition (aws, aws-cn, aws-us-gov) that <paramref name="region"/> belongs to.</summary>
    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";
}
