using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Aws.S3;

/// <summary>Stores parts in an S3 bucket: one PutObject up to a threshold, a multipart upload above it (aborted on failure), SSE-KMS, checksums and the expected bucket owner as configured.</summary>
/// <remarks>Memory per put is bounded by the threshold plus one part, whatever the part's size; failures arrive as <see cref="ServiceCallException"/>.</remarks>
public sealed class S3PartSink : IPartSink
{
    private readonly IAmazonS3 _s3;
    private readonly S3PartSinkOptions _options;

    /// <summary>Creates a sink over <paramref name="s3"/> (not disposed by the sink) with validated <paramref name="options"/>.</summary>
    public S3PartSink(IAmazonS3 s3, S3PartSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _s3 = s3;
        _options = options;
    }

    /// <inheritdoc/>
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var objectKey = ObjectKey(key);

        // Read one byte past the threshold to know which way to go without needing a seekable or sized stream.
        var headSize = (int)(content.CanSeek ? Math.Min(_options.MultipartThreshold, content.Length - content.Position) + 1 : _options.MultipartThreshold + 1);
        var head = ArrayPool<byte>.Shared.Rent(headSize);
        try
        {
            var headLength = await FillAsync(content, head.AsMemory(0, headSize), cancellationToken).ConfigureAwait(false);
            if (headLength <= _options.MultipartThreshold)
            {
                await PutObjectAsync(objectKey, head.AsMemory(0, headLength), contentType, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PutMultipartAsync(objectKey, head.AsMemory(0, headLength), content, contentType, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    /// <inheritdoc/>
    public string Describe(string key) => $"s3://{_options.BucketName}/{ObjectKey(key)}";

    private string ObjectKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return string.IsNullOrEmpty(_options.KeyPrefix) ? key : $"{_options.KeyPrefix}/{key}";
    }

    private async Task PutObjectAsync(string objectKey, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.BucketName,
            Key = objectKey,
            ContentType = contentType,
            InputStream = AsStream(body),
            AutoCloseStream = true,
            UseChunkEncoding = _options.UseChunkEncoding,
            ExpectedBucketOwner = _options.ExpectedBucketOwner,
        };
        if (_options.ChecksumAlgorithm is { } checksum)
        {
            request.ChecksumAlgorithm = checksum;
            request.ChecksumSHA256 = Sha256(checksum, body.Span);
        }

        if (_options.KmsKeyId is { } kmsKeyId)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyId;
            request.BucketKeyEnabled = _options.BucketKeyEnabled;
        }

        await CallAsync(() => _s3.PutObjectAsync(request, cancellationToken), objectKey, "writing", cancellationToken).ConfigureAwait(false);
    }

    private async Task PutMultipartAsync(string objectKey, ReadOnlyMemory<byte> head, Stream rest, string contentType, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest
        {
            BucketName = _options.BucketName,
            Key = objectKey,
            ContentType = contentType,
            ExpectedBucketOwner = _options.ExpectedBucketOwner,
        };
        if (_options.ChecksumAlgorithm is { } checksum)
        {
            initiate.ChecksumAlgorithm = checksum;
        }

        if (_options.KmsKeyId is { } kmsKeyId)
        {
            initiate.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            initiate.ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyId;
            initiate.BucketKeyEnabled = _options.BucketKeyEnabled;
        }

        var started = await CallAsync(() => _s3.InitiateMultipartUploadAsync(initiate, cancellationToken), objectKey, "starting a multipart upload of", cancellationToken).ConfigureAwait(false);
        var uploadId = started.UploadId;
        var part = ArrayPool<byte>.Shared.Rent(_options.PartSize);
        try
        {
            var uploaded = new List<PartETag>();
            var headOffset = 0;
            for (var partNumber = 1; ; partNumber++)
            {
                // Each part but the last is exactly PartSize (S3 refuses smaller middle parts): take the head first, then the stream.
                var fromHead = Math.Min(_options.PartSize, head.Length - headOffset);
                head.Slice(headOffset, fromHead).CopyTo(part);
                headOffset += fromHead;
                var length = fromHead;
                if (length < _options.PartSize)
                {
                    length += await FillAsync(rest, part.AsMemory(length, _options.PartSize - length), cancellationToken).ConfigureAwait(false);
                }

                if (length == 0)
                {
                    break;
                }

                var request = new UploadPartRequest
                {
                    BucketName = _options.BucketName,
                    Key = objectKey,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    PartSize = length,
                    InputStream = AsStream(part.AsMemory(0, length)),
                    UseChunkEncoding = _options.UseChunkEncoding,
                    ExpectedBucketOwner = _options.ExpectedBucketOwner,
                };
                if (_options.ChecksumAlgorithm is { } partChecksum)
                {
                    request.ChecksumAlgorithm = partChecksum;
                    request.ChecksumSHA256 = Sha256(partChecksum, part.AsSpan(0, length));
                }

                var response = await CallAsync(() => _s3.UploadPartAsync(request, cancellationToken), objectKey, $"uploading part {partNumber} of", cancellationToken).ConfigureAwait(false);
                uploaded.Add(new PartETag
                {
                    PartNumber = partNumber,
                    ETag = response.ETag,
                    ChecksumSHA256 = request.ChecksumSHA256 ?? response.ChecksumSHA256,
                    ChecksumCRC32 = response.ChecksumCRC32,
                    ChecksumCRC32C = response.ChecksumCRC32C,
                    ChecksumCRC64NVME = response.ChecksumCRC64NVME,
                    ChecksumSHA1 = response.ChecksumSHA1,
                });
                if (length < _options.PartSize)
                {
                    break;
                }
            }

            var complete = new CompleteMultipartUploadRequest { BucketName = _options.BucketName, Key = objectKey, UploadId = uploadId, ExpectedBucketOwner = _options.ExpectedBucketOwner };
            complete.AddPartETags(uploaded);
            await CallAsync(() => _s3.CompleteMultipartUploadAsync(complete, cancellationToken), objectKey, "completing the multipart upload of", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortAsync(objectKey, uploadId).ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(part);
        }
    }

    private async Task AbortAsync(string objectKey, string uploadId)
    {
        try
        {
            // Not cancellable on purpose: an upload left open keeps billing for its parts until a lifecycle rule removes it.
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.BucketName, Key = objectKey, UploadId = uploadId, ExpectedBucketOwner = _options.ExpectedBucketOwner }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonS3Exception)
        {
            // The original failure matters more; an upload that could not be aborted is cleaned up by the bucket's lifecycle rule.
        }
        catch (HttpRequestException)
        {
        }
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, string objectKey, string action, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or HttpRequestException or IOException or OperationCanceledException)
        {
            throw S3ErrorMapper.Map(ex, _options.BucketName, objectKey, _options.KmsKeyId, _options.ExpectedBucketOwner, action);
        }
    }

    // SHA-256 is computed here from the buffered bytes and sent as a header: the SDK only sends it as a trailer of an aws-chunked body,
    // so without chunk encoding it would send none. Other algorithms are left to the SDK.
    private static string? Sha256(ChecksumAlgorithm algorithm, ReadOnlySpan<byte> body) =>
        algorithm == ChecksumAlgorithm.SHA256 ? Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(body)) : null;

    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    // The SDK rewinds the body for retries and checksums, so it gets a seekable view of the buffered bytes.
    private static MemoryStream AsStream(ReadOnlyMemory<byte> body)
    {
        return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
    }
}
