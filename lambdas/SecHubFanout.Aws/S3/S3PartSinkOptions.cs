using System.Text.RegularExpressions;
using Amazon.S3;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.S3;

/// <summary>Where and how <see cref="S3PartSink"/> stores parts; validated when the sink is created.</summary>
public sealed partial record S3PartSinkOptions
{
    /// <summary>The S3 multipart minimum for every part but the last.</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>The bucket (required).</summary>
    public required string BucketName { get; init; }

    /// <summary>A key prefix put before every part key, without leading or trailing slash (default none).</summary>
    public string? KeyPrefix { get; init; }

    /// <summary>Parts up to this many bytes go in one PutObject, larger ones as a multipart upload (default 16 MiB; at most 1 GiB, since that much is buffered).</summary>
    public long MultipartThreshold { get; init; } = 16L * 1024 * 1024;

    /// <summary>The size of each multipart part but the last (default 8 MiB, at least 5 MiB).</summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>The KMS key ID or ARN for SSE-KMS; null leaves encryption to the bucket default (default null).</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>
    /// The 12-digit account ID that must own the bucket, sent as <c>x-amz-expected-bucket-owner</c> on every write: S3 refuses the
    /// request (403) when the bucket belongs to another account, so a bucket of the same name in a stranger's account never receives
    /// the findings (default null: not checked).
    /// </summary>
    public string? ExpectedBucketOwner { get; init; }

    /// <summary>Whether SSE-KMS uses an S3 Bucket Key, which cuts KMS requests by up to 99% (default true; only sent with <see cref="KmsKeyId"/>).</summary>
    public bool BucketKeyEnabled { get; init; } = true;

    /// <summary>The checksum S3 verifies on every request that carries data (default SHA-256; null sends none).</summary>
    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; } = Amazon.S3.ChecksumAlgorithm.SHA256;

    /// <summary>
    /// Whether bodies are streamed as aws-chunked (default true, the SDK's own default). Set false for S3-compatible servers that store
    /// chunk headers inside the object (s3rver); then also set <c>RequestChecksumCalculation = WHEN_REQUIRED</c> on the client.
    /// </summary>
    public bool UseChunkEncoding { get; init; } = true;

    /// <summary>What is wrong with the first invalid option and how to fix it, or null when every option is valid.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(BucketName) || !BucketNamePattern().IsMatch(BucketName) || BucketName.Contains("..", StringComparison.Ordinal))
        {
            return $"'{BucketName}' is not a valid S3 bucket name: use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.";
        }

        if (KeyPrefix is not null && (KeyPrefix.StartsWith('/') || KeyPrefix.EndsWith('/')))
        {
            return $"Key prefix '{KeyPrefix}' must not start or end with '/'.";
        }

        if (PartSize < MinPartSize)
        {
            return $"Part size {PartSize} is below the S3 minimum of {MinPartSize} bytes (5 MiB).";
        }

        if (MultipartThreshold < PartSize || MultipartThreshold > 1L << 30)
        {
            return $"Multipart threshold {MultipartThreshold} must be between the part size ({PartSize}) and 1 GiB.";
        }

        if (ExpectedBucketOwner is not null && !AccountIds.IsValid(ExpectedBucketOwner))
        {
            return $"Expected bucket owner '{ExpectedBucketOwner}' is not an AWS account ID: give the 12 digits of the account that owns the bucket, or none.";
        }

        return KmsKeyId is not null && string.IsNullOrWhiteSpace(KmsKeyId)
            ? "The KMS key ID is empty: give a key ID, alias ARN or key ARN, or none."
            : null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with <see cref="Problem"/> when an option is invalid.</summary>
    public void Validate()
    {
        if (Problem() is { } problem)
        {
            throw new ArgumentException(problem);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNamePattern();
}
