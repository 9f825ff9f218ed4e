using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.S3;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Cli.Exporting;

/// <summary>Where an export goes (<c>--out</c>): a local folder or <c>s3://bucket/prefix</c>; checked before anything is written.</summary>
internal sealed class ExportTarget
{
    private ExportTarget(string text, string? directory, S3PartSinkOptions? s3)
    {
        Text = text;
        Directory = directory;
        S3 = s3;
    }

    /// <summary>The --out value as given (stored in the checkpoint so a resume writes to the same place).</summary>
    public string Text { get; }

    /// <summary>The full path of the output folder, or null for S3.</summary>
    public string? Directory { get; }

    /// <summary>The bucket and prefix, or null for a folder.</summary>
    public S3PartSinkOptions? S3 { get; }

    /// <summary>Parses --out without touching the file system or the network; throws <see cref="UsageException"/> when it cannot be used.</summary>
    public static ExportTarget Parse(string text, string? kmsKeyId)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException("--out is empty: give a folder (for example ./sechub-export) or s3://bucket/prefix.");
        }

        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text["s3://".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
            var options = new S3PartSinkOptions
            {
                BucketName = bucket,
                KeyPrefix = prefix.Length == 0 ? null : prefix,
                KmsKeyId = kmsKeyId,
            };
            if (options.Problem() is { } problem)
            {
                throw new UsageException($"--out {text}: {problem}");
            }

            return new ExportTarget(text, null, options);
        }

        if (kmsKeyId is not null)
        {
            throw new UsageException("--kms-key-id applies only to an s3:// output: drop it, or write to --out s3://bucket/prefix.");
        }

        string full;
        try
        {
            full = Path.GetFullPath(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"--out '{text}' is not a usable path ({e.Message}).", e);
        }

        if (File.Exists(full))
        {
            throw new UsageException($"--out '{text}' is a file, not a folder: give a folder (it is created when missing) or s3://bucket/prefix.");
        }

        return new ExportTarget(text, full, null);
    }

    /// <summary>
    /// Proves the output can be written: creates the folder and writes and deletes a probe file, or asks S3 whether the bucket exists
    /// and may be written. Called only after every other input was validated.
    /// </summary>
    public async Task CheckWritableAsync(AwsClients? clients, string accountId, CancellationToken cancellationToken)
    {
        if (Directory is not null)
        {
            CheckDirectoryWritable(Directory, "--out");
            return;
        }

        using var s3 = clients!.CreateS3Client();
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = S3!.BucketName }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new UsageException($"--out {Text}: bucket '{S3!.BucketName}' does not exist (or is in another partition): check the name, or deploy the central stack first.", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            // Members may write below their own prefix without s3:ListBucket; a probe object there is the real test.
            await ProbeS3WriteAsync(s3, accountId, e, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"--out {Text}: S3 HeadBucket failed ({e.ErrorCode ?? e.StatusCode.ToString()}): {e.Message}", e.ErrorCode, (int)e.StatusCode, e);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"Could not reach S3 for {Text}: {e.Message}. Check --endpoint-url / AWS_ENDPOINT_URL_S3 and the network.", innerException: e);
        }
    }

    /// <summary>The sink that stores the parts.</summary>
    public IPartSink CreateSink(AwsClients? clients, out IDisposable? owned)
    {
        if (Directory is not null)
        {
            owned = null;
            return new DirectoryPartSink(Directory);
        }

        var s3 = clients!.CreateS3Client();
        owned = s3;

        // S3-protocol servers behind a custom endpoint (s3rver, for one) store aws-chunked framing inside the object; plain bodies
        // with a SHA-256 header are understood by every implementation, AWS included.
        var custom = clients.Endpoints.Resolve(AwsService.S3, clients.RegionOrHome(null)).IsCustom;
        return new S3PartSink(s3, S3! with { UseChunkEncoding = !custom });
    }

    /// <summary>Creates <paramref name="folder"/> if needed and writes and deletes a probe file in it.</summary>
    public static void CheckDirectoryWritable(string folder, string option)
    {
        try
        {
            System.IO.Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".sechub-fanout-probe-{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: cannot write to folder '{folder}' ({e.Message}). Choose another folder or fix its permissions.", e);
        }
    }

    private async Task ProbeS3WriteAsync(IAmazonS3 s3, string accountId, Exception headFailure, CancellationToken cancellationToken)
    {
        var key = $"{(S3!.KeyPrefix is null ? string.Empty : S3.KeyPrefix + "/")}findings/account_id={accountId}/.sechub-fanout-probe-{Guid.NewGuid():N}";
        try
        {
            var put = new PutObjectRequest { BucketName = S3.BucketName, Key = key, ContentBody = string.Empty, UseChunkEncoding = false };
            if (S3.KmsKeyId is not null)
            {
                put.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
                put.ServerSideEncryptionKeyManagementServiceKeyId = S3.KmsKeyId;
            }

            await s3.PutObjectAsync(put, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new ServiceCallException(
                ServiceErrorKind.AccessDenied,
                $"Access denied writing to {Text} ({e.ErrorCode}): the caller needs s3:PutObject on arn:aws:s3:::{S3.BucketName}/{key}" +
                (S3.KmsKeyId is null ? string.Empty : $" and kms:GenerateDataKey on {S3.KmsKeyId}") + $" (HeadBucket also failed: {headFailure.Message}).",
                e.ErrorCode,
                (int)e.StatusCode,
                e);
        }

        try
        {
            await s3.DeleteObjectAsync(S3.BucketName, key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception)
        {
            // Writers often may not delete; an empty hidden probe object is harmless.
        }
    }
}
