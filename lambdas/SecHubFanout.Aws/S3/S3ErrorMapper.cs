using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.S3;

/// <summary>Turns S3 SDK failures into <see cref="ServiceCallException"/>s whose message says what is wrong with which bucket and key, and what to do.</summary>
internal static class S3ErrorMapper
{
    public static ServiceCallException Map(Exception exception, string bucket, string key, string? kmsKeyId, string? expectedBucketOwner, string action)
    {
        var location = $"s3://{bucket}/{key}";
        if (exception is not AmazonServiceException service)
        {
            // Dropped connections, DNS failures and HTTP timeouts reach us as HttpRequestException, IOException or TaskCanceledException.
            return new ServiceCallException(ServiceErrorKind.Transient, $"{action} {location} failed before S3 answered: {exception.Message}", innerException: exception);
        }

        var code = service.ErrorCode ?? string.Empty;
        var status = (int)service.StatusCode;
        var s3Says = string.IsNullOrEmpty(service.Message) ? code : service.Message;

        if (code.StartsWith("KMS.", StringComparison.Ordinal) || code == "KMSNotFoundException")
        {
            var kind = code.Contains("NotFound", StringComparison.Ordinal) ? ServiceErrorKind.NotFound : ServiceErrorKind.AccessDenied;
            return new ServiceCallException(kind, $"{action} {location} failed on KMS key '{kmsKeyId}' ({code}): check that the key exists, is enabled, is in the bucket's Region, and that its key policy lets the caller use kms:GenerateDataKey and kms:Decrypt. S3 said: {s3Says}", code, status, exception);
        }

        switch (code)
        {
            case "AccessDenied" or "AllAccessDisabled" or "AccountProblem" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken":
                var kms = kmsKeyId is null ? string.Empty : $", kms:GenerateDataKey on KMS key '{kmsKeyId}'";
                var owner = expectedBucketOwner is null ? string.Empty : $" The bucket must also belong to account {expectedBucketOwner} (the expected bucket owner): S3 refuses writes to a bucket of that name owned by any other account.";
                return new ServiceCallException(ServiceErrorKind.AccessDenied, $"Access denied: {action} {location} ({code}). The caller needs s3:PutObject on arn:aws:s3:::{bucket}/{key} (s3:AbortMultipartUpload for large parts{kms}), allowed by its IAM policy and by the bucket policy, with valid credentials.{owner} S3 said: {s3Says}", code, status, exception);
            case "NoSuchBucket":
                return new ServiceCallException(ServiceErrorKind.NotFound, $"Bucket '{bucket}' does not exist: check the bucket name and that it was deployed. S3 said: {s3Says}", code, status, exception);
            case "SlowDown" or "ServiceUnavailable" or "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequests" or "TooManyRequestsException":
                return new ServiceCallException(ServiceErrorKind.Throttled, $"S3 throttled {action} {location} ({code}): slow down and retry.", code, status, exception);
            case "RequestTimeout" or "InternalError" or "NoSuchUpload":
                return new ServiceCallException(ServiceErrorKind.Transient, $"{action} {location} failed ({code}); retry. S3 said: {s3Says}", code, status, exception);
        }

        return status switch
        {
            (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.TooManyRequests => new ServiceCallException(ServiceErrorKind.Throttled, $"S3 throttled {action} {location} (HTTP {status}): slow down and retry.", code, status, exception),
            >= 500 => new ServiceCallException(ServiceErrorKind.Transient, $"{action} {location} failed with HTTP {status} ({code}); retry. S3 said: {s3Says}", code, status, exception),
            (int)HttpStatusCode.Forbidden => new ServiceCallException(ServiceErrorKind.AccessDenied, $"Access denied: {action} {location} (HTTP 403 {code}). The caller needs s3:PutObject on arn:aws:s3:::{bucket}/{key}. S3 said: {s3Says}", code, status, exception),
            (int)HttpStatusCode.NotFound => new ServiceCallException(ServiceErrorKind.NotFound, $"{action} {location}: not found ({code}). S3 said: {s3Says}", code, status, exception),
            _ => new ServiceCallException(ServiceErrorKind.InvalidInput, $"S3 rejected {action} {location} (HTTP {status} {code}): {s3Says}", code, status, exception),
        };
    }
}
