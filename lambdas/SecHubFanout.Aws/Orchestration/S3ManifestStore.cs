using Amazon.S3;
using Amazon.S3.Model;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>
/// Writes manifests to <c>s3://bucket/manifests/&lt;exportId&gt;.json</c> (AWSSDK.S3), SSE-KMS with the findings key when one is given, and
/// only to a bucket owned by the expected account when one is given.
/// </summary>
public sealed class S3ManifestStore : IManifestStore
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string? _kmsKeyArn;
    private readonly string? _expectedBucketOwner;

    /// <summary>Creates the store for a bucket and (optional) KMS key ARN, writing without an owner check.</summary>
    public S3ManifestStore(IAmazonS3 s3, string bucket, string? kmsKeyArn)
        : this(s3, bucket, kmsKeyArn, expectedBucketOwner: null)
    {
    }

    /// <summary>
    /// Creates the store for a bucket, (optional) KMS key ARN and (optional) 12-digit account ID that must own the bucket
    /// (sent as <c>x-amz-expected-bucket-owner</c>; S3 refuses the write if another account owns it).
    /// </summary>
    public S3ManifestStore(IAmazonS3 s3, string bucket, string? kmsKeyArn, string? expectedBucketOwner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        _s3 = s3 ?? throw new ArgumentNullException(nameof(s3));
        _bucket = bucket;
        _kmsKeyArn = string.IsNullOrWhiteSpace(kmsKeyArn) ? null : kmsKeyArn;
        _expectedBucketOwner = string.IsNullOrWhiteSpace(expectedBucketOwner) ? null : expectedBucketOwner;
        if (_expectedBucketOwner is not null && !AccountIds.IsValid(_expectedBucketOwner))
        {
            throw new ArgumentException($"Expected bucket owner '{expectedBucketOwner}' is not an AWS account ID: give the 12 digits of the account that owns the bucket, or none.", nameof(expectedBucketOwner));
        }
    }

    /// <inheritdoc/>
    public async Task<string> WriteAsync(string exportId, Stream manifestJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifestJson);
        var key = $"{FanoutNames.ManifestsPrefix}{exportId}.json";
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = manifestJson,
            AutoCloseStream = false,
            ContentType = "application/json",
            // A seekable spool file: signing it whole also works with S3-protocol servers that do not decode aws-chunked.
            UseChunkEncoding = false,
            ExpectedBucketOwner = _expectedBucketOwner,
        };
        if (_kmsKeyArn is not null)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = _kmsKeyArn;
        }

        await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return $"s3://{_bucket}/{key}";
    }
}
