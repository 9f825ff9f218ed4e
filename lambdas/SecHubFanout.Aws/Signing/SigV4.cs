using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace SecHubFanout.Aws.Signing;

/// <summary>AWS Signature Version 4 building blocks shared by the signing handler (client side) and the emulator and local test servers (server side).</summary>
public static class SigV4
{
    /// <summary>The algorithm name that starts every SigV4 Authorization header and string to sign.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The <c>x-amz-date</c> format (ISO 8601 basic, UTC).</summary>
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The SHA-256 of an empty payload, in lower-case hex.</summary>
    public const string EmptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>Builds the canonical request: method, URI-encoded path, sorted RFC 3986 query, canonical signed headers, signed header list and payload hash.</summary>
    public static string CanonicalRequest(string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, IReadOnlyList<string> signedHeaders, string payloadSha256Hex)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        ArgumentException.ThrowIfNullOrEmpty(payloadSha256Hex);

        var names = NormalizeSignedHeaders(signedHeaders);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (names.Contains(lower))
            {
                if (!values.TryGetValue(lower, out var list))
                {
                    values[lower] = list = [];
                }

                list.Add(CollapseWhitespace(value));
            }
        }

        var sb = new StringBuilder(256);
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append(CanonicalPath(path)).Append('\n');
        sb.Append(CanonicalQuery(query)).Append('\n');
        foreach (var name in names)
        {
            if (!values.TryGetValue(name, out var list))
            {
                throw new ArgumentException($"The signed header '{name}' is not among the request headers.", nameof(signedHeaders));
            }

            sb.Append(name).Append(':').AppendJoin(',', list).Append('\n');
        }

        sb.Append('\n');
        sb.AppendJoin(';', names).Append('\n');
        sb.Append(payloadSha256Hex);
        return sb.ToString();
    }

    /// <summary>Builds the string to sign from a canonical request, the <c>x-amz-date</c> value and the credential scope.</summary>
    public static string StringToSign(string canonicalRequest, string amzDate, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        ValidateAmzDate(amzDate);
        return string.Create(CultureInfo.InvariantCulture, $"{Algorithm}\n{amzDate}\n{Scope(amzDate, region, service)}\n{Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest))}");
    }

    /// <summary>Computes the lower-case hex signature of a canonical request with AWSSDK.Core's <see cref="AWS4Signer"/>.</summary>
    public static string ComputeSignature(string secretKey, string amzDate, string region, string service, string canonicalRequest)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        var signedAt = ValidateAmzDate(amzDate);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);

        // The access key and signed-header list only decorate the SDK's result strings; the signature depends on the rest.
        return AWS4Signer.ComputeSignature(string.Empty, secretKey, region, signedAt, service, string.Empty, canonicalRequest).Signature;
    }

    /// <summary>Formats the Authorization header value for an access key, credential scope, signed headers and signature.</summary>
    public static string AuthorizationHeader(string accessKeyId, string amzDate, string region, string service, IReadOnlyList<string> signedHeaders, string signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        return $"{Algorithm} Credential={accessKeyId}/{Scope(amzDate, region, service)}, SignedHeaders={string.Join(';', NormalizeSignedHeaders(signedHeaders))}, Signature={signature}";
    }

    /// <summary>Checks a received request's signature: parses the Authorization header, rebuilds the canonical request from what was received and compares in constant time.</summary>
    /// <param name="method">The HTTP method as received.</param>
    /// <param name="path">The request path as received (raw, as on the request line).</param>
    /// <param name="query">The query string as received, without the leading <c>?</c>.</param>
    /// <param name="headers">The received headers keyed by lower-case name (repeated headers joined with commas).</param>
    /// <param name="body">The received body.</param>
    /// <param name="secretForAccessKey">Returns the secret key of an access key id, or null when the key is unknown.</param>
    public static SigV4Verification Verify(string method, string path, string query, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, Func<string, string?> secretForAccessKey)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secretForAccessKey);

        if (!headers.TryGetValue("authorization", out var authorization) || string.IsNullOrWhiteSpace(authorization))
        {
            return Refuse("Missing Authorization header: sign the request with AWS Signature Version 4.");
        }

        if (!TryParseAuthorization(authorization, out var parsed, out var parseError))
        {
            return Refuse(parseError);
        }

        var (accessKeyId, scopeDate, region, service, signedHeaders, signature) = parsed;
        if (!headers.TryGetValue("x-amz-date", out var amzDate) || !TryParseAmzDate(amzDate, out _))
        {
            return Refuse("Missing or malformed X-Amz-Date header (expected yyyyMMddTHHmmssZ).", accessKeyId, region, service);
        }

        if (!amzDate.StartsWith(scopeDate, StringComparison.Ordinal))
        {
            return Refuse($"Credential scope date {scopeDate} does not match X-Amz-Date {amzDate}.", accessKeyId, region, service);
        }

        if (!signedHeaders.Contains("host"))
        {
            return Refuse("The host header must be signed.", accessKeyId, region, service);
        }

        foreach (var name in signedHeaders)
        {
            if (!headers.ContainsKey(name))
            {
                return Refuse($"Signed header '{name}' is missing from the request.", accessKeyId, region, service);
            }
        }

        var payloadHash = Sha256Hex(body);
        if (headers.TryGetValue("x-amz-content-sha256", out var declaredHash))
        {
            if (string.Equals(declaredHash, UnsignedPayload, StringComparison.Ordinal))
            {
                payloadHash = UnsignedPayload;
            }
            else if (!string.Equals(declaredHash, payloadHash, StringComparison.OrdinalIgnoreCase))
            {
                return Refuse("X-Amz-Content-SHA256 does not match the body received.", accessKeyId, region, service);
            }
        }

        var secret = secretForAccessKey(accessKeyId);
        if (secret is null)
        {
            return Refuse($"The access key id {accessKeyId} is not known here.", accessKeyId, region, service);
        }

        var canonical = CanonicalRequest(method, path, query, headers, signedHeaders, payloadHash);
        var expected = ComputeSignature(secret, amzDate, region, service, canonical);
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
        return matches
            ? new SigV4Verification(true, accessKeyId, region, service, null)
            : Refuse("The request signature does not match: check the secret key and the signing method.", accessKeyId, region, service);
    }

    /// <summary>Like <see cref="Verify(string, string, string, IReadOnlyDictionary{string, string}, ReadOnlySpan{byte}, Func{string, string?})"/>, and also refuses a request whose <c>X-Amz-Date</c> is more than <paramref name="maxSkew"/> away from <paramref name="now"/> (AWS allows 15 minutes).</summary>
    public static SigV4Verification Verify(string method, string path, string query, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, Func<string, string?> secretForAccessKey, DateTimeOffset now, TimeSpan maxSkew)
    {
        var result = Verify(method, path, query, headers, body, secretForAccessKey);
        if (!result.IsValid || !TryParseAmzDate(headers["x-amz-date"], out var signedAt))
        {
            return result;
        }

        var skew = (now.UtcDateTime - signedAt).Duration();
        return skew <= maxSkew
            ? result
            : result with
            {
                IsValid = false,
                Error = $"The request time {headers["x-amz-date"]} is {skew.TotalMinutes:0} minutes away from the server time {FormatAmzDate(now)}: correct the client clock.",
            };
    }

    /// <summary>The lower-case hex SHA-256 of some bytes (the payload hash of a canonical request).</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Formats a time as an <c>x-amz-date</c> value.</summary>
    public static string FormatAmzDate(DateTimeOffset time) => time.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    private static string Scope(string amzDate, string region, string service) => $"{amzDate[..8]}/{region}/{service}/aws4_request";

    private static SigV4Verification Refuse(string error, string? accessKeyId = null, string? region = null, string? service = null)
        => new(false, accessKeyId, region, service, error);

    private static SortedSet<string> NormalizeSignedHeaders(IReadOnlyList<string> signedHeaders)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in signedHeaders)
        {
            names.Add(name.Trim().ToLowerInvariant());
        }

        return names;
    }

    private static DateTime ValidateAmzDate(string amzDate)
    {
        ArgumentNullException.ThrowIfNull(amzDate);
        return TryParseAmzDate(amzDate, out var value)
            ? value
            : throw new ArgumentException($"'{amzDate}' is not an x-amz-date value (yyyyMMddTHHmmssZ).", nameof(amzDate));
    }

    private static bool TryParseAmzDate(string amzDate, out DateTime value)
        => DateTime.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);

    private static string CollapseWhitespace(string value)
    {
        var trimmed = value.AsSpan().Trim();
        var sb = new StringBuilder(trimmed.Length);
        var inSpace = false;
        foreach (var c in trimmed)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (!inSpace)
                {
                    sb.Append(' ');
                }

                inSpace = true;
            }
            else
            {
                sb.Append(c);
                inSpace = false;
            }
        }

        return sb.ToString();
    }

    // Each segment is encoded once; a path that already carries valid %XX escapes keeps them, so a raw request-line path and the
    // client's Uri.AbsolutePath canonicalize alike.
    private static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var sb = new StringBuilder(path.Length + 8);
        if (path[0] != '/')
        {
            sb.Append('/');
        }

        var utf8 = Encoding.UTF8.GetBytes(path);
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b == '/' || IsUnreserved(b))
            {
                sb.Append((char)b);
            }
            else if (b == '%' && i + 2 < utf8.Length && IsHex(utf8[i + 1]) && IsHex(utf8[i + 2]))
            {
                sb.Append('%').Append(char.ToUpperInvariant((char)utf8[i + 1])).Append(char.ToUpperInvariant((char)utf8[i + 2]));
                i += 2;
            }
            else
            {
                AppendEscaped(sb, b);
            }
        }

        return sb.ToString();
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(key)), UriEncode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort(static (a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(static p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 percent-encoding as SigV4 wants it: everything but unreserved characters, upper-case hex, UTF-8.</summary>
    public static string UriEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (IsUnreserved(b))
            {
                sb.Append((char)b);
            }
            else
            {
                AppendEscaped(sb, b);
            }
        }

        return sb.ToString();
    }

    private static void AppendEscaped(StringBuilder sb, byte b)
    {
        const string hex = "0123456789ABCDEF";
        sb.Append('%').Append(hex[b >> 4]).Append(hex[b & 0xF]);
    }

    private static bool IsUnreserved(byte b)
        => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static bool TryParseAuthorization(string authorization, out (string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature) parsed, out string error)
    {
        parsed = default;
        var value = authorization.Trim();
        if (!value.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            error = $"Unsupported Authorization scheme: expected '{Algorithm} Credential=..., SignedHeaders=..., Signature=...'.";
            return false;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var item in value[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var name = item[..eq].Trim();
            var itemValue = item[(eq + 1)..].Trim();
            switch (name)
            {
                case "Credential": credential = itemValue; break;
                case "SignedHeaders": signedHeaders = itemValue; break;
                case "Signature": signature = itemValue; break;
                default: break;
            }
        }

        if (credential is null || signedHeaders is null || signature is null)
        {
            error = "Authorization header lacks Credential, SignedHeaders or Signature.";
            return false;
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[1].Length != 8 || scope.Any(string.IsNullOrEmpty))
        {
            error = "Malformed Credential: expected AccessKeyId/yyyyMMdd/region/service/aws4_request.";
            return false;
        }

        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigit))
        {
            error = "Malformed Signature: expected 64 hex digits.";
            return false;
        }

        var names = signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(static n => n.ToLowerInvariant()).ToArray();
        parsed = (scope[0], scope[1], scope[2], scope[3], names, signature);
        error = string.Empty;
        return true;
    }
}
