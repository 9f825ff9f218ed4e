using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Aws.SecurityHub;

/// <summary>
/// Pages findings with Security Hub <c>GetFindings</c> (<c>POST /findings</c>) or, for requests of <see cref="FindingsApi.V2"/>,
/// <c>GetFindingsV2</c> (<c>POST /findingsv2</c>, same signing and answer shape), keeping each finding's raw bytes; one attempt per page (callers retry).
/// </summary>
public sealed class SecurityHubFindingSource : IFindingSource
{
    private static readonly JsonWriterOptions TokenWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RestJsonProtocolClient _client;
    private readonly string? _accountId;

    /// <summary>Creates a source over a rest-json client; <paramref name="accountId"/> (optional) only improves error messages.</summary>
    public SecurityHubFindingSource(RestJsonProtocolClient client, string? accountId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _accountId = accountId;
    }

    /// <inheritdoc />
    public async Task<FindingPage> GetFindingsAsync(FindingsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new AwsCallContext(AwsService.SecurityHub, request.Region, request.Api.Operation()) { AccountId = _accountId };
        var body = BuildBody(request.Query, request.NextToken);
        var response = await _client.SendPooledAsync(context, HttpMethod.Post, request.Api.Path(), body, cancellationToken).ConfigureAwait(false);
        try
        {
            // The findings are slices of the pooled body: the page owns it and returns it to the pool when disposed.
            return Parse(response.Memory, response);
        }
        catch (JsonException e)
        {
            response.Dispose();
            throw new ServiceCallException(
                ServiceErrorKind.Transient,
                $"Security Hub {request.Api.Operation()} in {request.Region} answered with malformed JSON ({e.Message}): it is retried; if it persists, check the endpoint URL.",
                innerException: e);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The request body: <paramref name="query"/> byte for byte, with <c>"NextToken"</c> added as its last property when a token is given.
    /// The query's own bytes are never re-serialized, so the filters stay identical across pages (Security Hub rejects a token whose query changed).
    /// </summary>
    public static ReadOnlyMemory<byte> BuildBody(ReadOnlyMemory<byte> query, string? nextToken)
    {
        var (closingBrace, hasProperties) = InspectQuery(query.Span);
        if (nextToken is null)
        {
            return query;
        }

        var token = new ArrayBufferWriter<byte>(nextToken.Length + 16);
        using (var writer = new Utf8JsonWriter(token, TokenWriterOptions))
        {
            // A lone string value: the writer escapes the token correctly without touching anything else.
            writer.WriteStringValue(nextToken);
        }

        var separator = hasProperties ? ","u8 : ""u8;
        var name = "\"NextToken\":"u8;
        var result = new byte[query.Length + separator.Length + name.Length + token.WrittenCount];
        var offset = 0;
        Append(result, ref offset, query.Span[..closingBrace]);
        Append(result, ref offset, separator);
        Append(result, ref offset, name);
        Append(result, ref offset, token.WrittenSpan);
        Append(result, ref offset, query.Span[closingBrace..]);
        return result;
    }

    /// <summary>Parses a <c>GetFindings</c> answer: each element of <c>Findings</c> as a raw slice of <paramref name="body"/>, and <c>NextToken</c> (empty means none).</summary>
    public static FindingPage ParsePage(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Parse(body, memoryOwner: null);
    }

    private static FindingPage Parse(ReadOnlyMemory<byte> body, IDisposable? memoryOwner)
    {
        var findings = new List<ReadOnlyMemory<byte>>(100);
        string? nextToken = null;
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The GetFindings answer is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Findings"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("Findings is not an array.");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    findings.Add(body.Slice(start, (int)reader.BytesConsumed - start));
                }
            }
            else if (reader.ValueTextEquals("NextToken"u8))
            {
                reader.Read();
                nextToken = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new FindingPage(findings, string.IsNullOrEmpty(nextToken) ? null : nextToken, memoryOwner);
    }

    private static void Append(Span<byte> target, ref int offset, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(target[offset..]);
        offset += bytes.Length;
    }

    // Validates that the query is one JSON object without its own NextToken, and finds its closing brace.
    private static (int ClosingBrace, bool HasProperties) InspectQuery(ReadOnlySpan<byte> query)
    {
        var reader = new Utf8JsonReader(query);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ArgumentException("FindingsRequest.Query must be a UTF-8 JSON object.", nameof(query));
            }

            var hasProperties = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                hasProperties = true;
                if (reader.ValueTextEquals("NextToken"u8))
                {
                    throw new ArgumentException("FindingsRequest.Query must not contain NextToken: pass it as FindingsRequest.NextToken.", nameof(query));
                }

                reader.Read();
                reader.Skip();
            }

            var closingBrace = (int)reader.TokenStartIndex;
            if (reader.Read())
            {
                throw new ArgumentException("FindingsRequest.Query has data after its JSON object.", nameof(query));
            }

            return (closingBrace, hasProperties);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"FindingsRequest.Query is not valid JSON: {e.Message}", nameof(query), e);
        }
    }
}
