using Amazon.S3;
using Amazon.S3.Model;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>Writes manifests to <c>s3://bucket/manifests/&lt;exportId&gt;.json</c> (AWSSDK.S3), SSE-KMS with the findings key when one is given.</summary>
public sealed class S3ManifestStore : IManifestStore
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string? _kmsKeyArn;

    /// <summary>Creates the store for a bucket and (optional) KMS key ARN.</summary>
    public S3ManifestStore(IAmazonS3 s3, string bucket, string? kmsKeyArn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        _s3 = s3 ?? throw new ArgumentNullException(nameof(s3));
        _bucket = bucket;
        _kmsKeyArn = string.IsNullOrWhiteSpace(kmsKeyArn) ? null : kmsKeyArn;
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
