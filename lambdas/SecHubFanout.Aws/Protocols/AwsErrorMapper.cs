using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml;
using Amazon.Runtime;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.Protocols;

/// <summary>Turns AWS error answers of all three protocols (rest-json, JSON 1.0/1.1, query/XML) and transport failures into <see cref="ServiceCallException"/>s whose message says what happened and what to do.</summary>
public static class AwsErrorMapper
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "TooManyRequestsException", "LimitExceededException", "ThrottlingException", "Throttling", "ThrottledException",
        "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown", "TooManyRequests",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "BandwidthLimitExceeded", "PriorRequestNotComplete",
    };

    private static readonly HashSet<string> NotEnabledCodes = new(StringComparer.Ordinal)
    {
        "InvalidAccessException", "SubscriptionRequiredException", "OptInRequired",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
        "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
        "IncompleteSignature", "IncompleteSignatureException", "AuthFailure", "UnauthorizedOperation", "InvalidAccessKeyId", "RequestExpired",
        "AuthorizationError", "NotAuthorized", "AWSOrganizationsNotInUseException",
    };

    private static readonly HashSet<string> InvalidTokenCodes = new(StringComparer.Ordinal)
    {
        "InvalidNextTokenException", "InvalidNextToken", "InvalidPaginationToken", "InvalidPaginationTokenException", "ExpiredNextTokenException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalException", "InternalFailure", "InternalError", "InternalServerError", "InternalServerException", "ServiceUnavailable",
        "ServiceUnavailableException", "ServiceException", "Unavailable",
    };

    /// <summary>Classifies an error answer; <paramref name="code"/> is the bare error code (no namespace or suffix).</summary>
    public static ServiceErrorKind Classify(int statusCode, string? code, string? message)
    {
        code ??= string.Empty;
        if (ThrottlingCodes.Contains(code) || statusCode == 429)
        {
            return ServiceErrorKind.Throttled;
        }

        if (NotEnabledCodes.Contains(code))
        {
            return ServiceErrorKind.NotEnabled;
        }

        if (AccessDeniedCodes.Contains(code))
        {
            return ServiceErrorKind.AccessDenied;
        }

        if (InvalidTokenCodes.Contains(code) || (statusCode == 400 && MentionsNextToken(message)))
        {
            return ServiceErrorKind.InvalidNextToken;
        }

        if (code == "ResourceNotFoundException" || code.EndsWith("NotFoundException", StringComparison.Ordinal)
            || code.EndsWith("NotFound", StringComparison.Ordinal) || code.StartsWith("NoSuch", StringComparison.Ordinal))
        {
            return ServiceErrorKind.NotFound;
        }

        if (TransientCodes.Contains(code) || statusCode >= 500)
        {
            return ServiceErrorKind.Transient;
        }

        return statusCode switch
        {
            401 or 403 => ServiceErrorKind.AccessDenied,
            404 => ServiceErrorKind.NotFound,
            408 => ServiceErrorKind.Transient,
            _ => ServiceErrorKind.InvalidInput,
        };
    }

    /// <summary>Maps an error answer: code from <c>x-amzn-ErrorType</c>, JSON <c>__type</c>/<c>code</c>, or XML <c>&lt;Error&gt;&lt;Code&gt;</c>.</summary>
    public static ServiceCallException FromResponse(AwsCallContext context, HttpStatusCode statusCode, string? errorTypeHeader, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (code, message) = ParseError(errorTypeHeader, body);
        var status = (int)statusCode;
        var kind = Classify(status, code, message);
        return new ServiceCallException(kind, Describe(context, kind, status, code, message), code, status);
    }

    /// <summary>Maps a failure without an answer (timeout, dropped connection, unavailable credentials); the caller must rethrow its own cancellation itself.</summary>
    public static ServiceCallException FromException(AwsCallContext context, Uri endpoint, Exception exception, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(exception);
        var what = $"{context.Service.DisplayName} {context.Operation} in {context.Region}";
        return exception switch
        {
            ServiceCallException e => e,
            OperationCanceledException e => new ServiceCallException(
                ServiceErrorKind.Transient,
                $"{what} timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s ({endpoint}): it is retried with backoff; if it keeps timing out, check the network or raise the timeout.",
                innerException: e),
            HttpRequestException or IOException => new ServiceCallException(
                ServiceErrorKind.Transient,
                $"{what} failed: could not talk to {endpoint} ({exception.Message}): it is retried with backoff; if it persists, check the network, proxy and endpoint URL.",
                innerException: exception),
            AmazonClientException or AmazonServiceException => new ServiceCallException(
                ServiceErrorKind.AccessDenied,
                $"{what} could not get AWS credentials ({exception.Message}): run 'aws sso login' or 'aws configure', or check the profile in use.",
                innerException: exception),
            _ => new ServiceCallException(ServiceErrorKind.Transient, $"{what} failed unexpectedly ({exception.GetType().Name}: {exception.Message}).", innerException: exception),
        };
    }

    /// <summary>Extracts the bare error code and message from an error answer of any of the three protocols.</summary>
    public static (string? Code, string? Message) ParseError(string? errorTypeHeader, ReadOnlySpan<byte> body)
    {
        string? code = null, message = null;
        var trimmed = TrimStart(body);
        if (!trimmed.IsEmpty && trimmed[0] == (byte)'{')
        {
            (code, message) = ParseJson(trimmed);
        }
        else if (!trimmed.IsEmpty && trimmed[0] == (byte)'<')
        {
            (code, message) = ParseXml(trimmed);
        }

        // The header is authoritative for rest-json and JSON services; the body may carry only a message.
        if (!string.IsNullOrWhiteSpace(errorTypeHeader))
        {
            code = errorTypeHeader;
        }

        return (BareCode(code), message);
    }

    /// <summary>Strips the <c>namespace#</c> prefix and the <c>:...</c> suffix from an error code.</summary>
    public static string? BareCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var value = code.Trim();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            value = value[..colon];
        }

        var hash = value.LastIndexOf('#');
        if (hash >= 0)
        {
            value = value[(hash + 1)..];
        }

        return value.Length == 0 ? null : value;
    }

    private static bool MentionsNextToken(string? message)
        => message is not null && (message.Contains("NextToken", StringComparison.OrdinalIgnoreCase) || message.Contains("next token", StringComparison.OrdinalIgnoreCase)
            || message.Contains("pagination token", StringComparison.OrdinalIgnoreCase));

    private static string Describe(AwsCallContext context, ServiceErrorKind kind, int status, string? code, string? message)
    {
        var service = context.Service;
        var what = $"{service.DisplayName} {context.Operation} in {context.Region}";
        var cause = code is null ? $"HTTP {status}" : $"{code}, HTTP {status}";
        var detail = string.IsNullOrWhiteSpace(message) ? string.Empty : $": {message.Trim().TrimEnd('.')}";
        var account = context.AccountId is null ? "the account of these credentials" : $"account {context.AccountId}";
        return kind switch
        {
            ServiceErrorKind.Throttled =>
                $"{what} was throttled ({cause}){detail}. It is retried with backoff; if this persists, lower the request rate or ask for a higher quota.",
            ServiceErrorKind.NotEnabled when service == AwsService.SecurityHub =>
                $"Security Hub is not enabled in {context.Region} for {account} ({cause}){detail}: enable it or leave the Region out of the export.",
            ServiceErrorKind.NotEnabled =>
                $"{service.DisplayName} is not enabled in {context.Region} for {account} ({cause}){detail}: enable it there or leave the Region out.",
            ServiceErrorKind.InvalidNextToken =>
                $"{what} rejected the NextToken ({cause}){detail}. The token expired or the query changed: restart the page chain from its first page.",
            ServiceErrorKind.AccessDenied =>
                $"{what} was denied ({cause}){detail}. Check that the credentials are valid and not expired (run 'aws sso login' if needed) and that they allow {service.SigningName}:{context.Operation}.",
            ServiceErrorKind.NotFound =>
                $"{what} found no such resource ({cause}){detail}. Check the name or ARN and the Region.",
            ServiceErrorKind.Transient =>
                $"{what} failed on the service side ({cause}){detail}. It is retried with backoff; if it persists, check the AWS Health Dashboard or the endpoint.",
            _ =>
                $"{what} rejected the request ({cause}){detail}. Fix the request (filters, arguments, names) and try again.",
        };
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> body)
    {
        var i = 0;
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
        {
            i++;
        }

        return body[i..];
    }

    private static (string? Code, string? Message) ParseJson(ReadOnlySpan<byte> body)
    {
        string? code = null, message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }

                var value = reader.GetString();
                switch (name)
                {
                    case "__type":
                        code = value;
                        break;
                    case "code" or "Code" when code is null:
                        code = value;
                        break;
                    case "message" or "Message" or "errorMessage":
                        message ??= value;
                        break;
                    default:
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A truncated or non-JSON body still leaves the status code and header to classify by.
        }

        return (code, message);
    }

    private static (string? Code, string? Message) ParseXml(ReadOnlySpan<byte> body)
    {
        try
        {
            var root = SafeXml.Load(body);
            var error = root.DescendantsAndSelf().FirstOrDefault(static e => e.Name.LocalName == "Error") ?? root;
            var code = error.Elements().FirstOrDefault(static e => e.Name.LocalName == "Code")?.Value;
            var message = error.Elements().FirstOrDefault(static e => e.Name.LocalName == "Message")?.Value;
            return (code, message);
        }
        catch (XmlException)
        {
            return (null, null);
        }
    }
}
