using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using SecHubFanout.Aws.Signing;

namespace SecHubFanout.Emulator.Tests.Support;

/// <summary>A raw SigV4-signed HTTP client for the emulator (our wire layer's signer), for tests that look at bytes and status codes.</summary>
internal sealed class SignedClient : IDisposable
{
    private readonly HttpClient _http;

    public SignedClient(Uri endpoint, string accessKeyId = "000000000000", string secret = "test")
    {
        _http = new HttpClient(new SigV4SigningHandler(new BasicAWSCredentials(accessKeyId, secret), TimeProvider.System, new SocketsHttpHandler()))
        {
            BaseAddress = endpoint,
        };
    }

    public async Task<Reply> PostAsync(string path, string body, string region = "us-east-1", string service = "securityhub", string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        SigV4SigningHandler.SetScope(request, region, service);
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.First() : null;
        return new Reply(response.StatusCode, errorType, bytes);
    }

    public Task<Reply> GetFindingsAsync(object request, string region = "us-east-1") =>
        PostAsync("/findings", JsonSerializer.Serialize(request), region);

    /// <summary>Pages GetFindings to the end; fails on any error.</summary>
    public async Task<List<JsonElement>> GetAllFindingsAsync(object? filters = null, object? sortCriteria = null, int maxResults = 100, string region = "us-east-1")
    {
        var all = new List<JsonElement>();
        string? token = null;
        do
        {
            var reply = await GetFindingsAsync(new { Filters = filters, SortCriteria = sortCriteria, MaxResults = maxResults, NextToken = token }, region).ConfigureAwait(false);
            Assert.AreEqual(HttpStatusCode.OK, reply.Status, reply.Text);
            using var doc = JsonDocument.Parse(reply.Body);
            all.AddRange(doc.RootElement.GetProperty("Findings").EnumerateArray().Select(f => f.Clone()));
            token = doc.RootElement.TryGetProperty("NextToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        while (token is not null);
        return all;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What the emulator answered.</summary>
internal sealed record Reply(HttpStatusCode Status, string? ErrorType, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
