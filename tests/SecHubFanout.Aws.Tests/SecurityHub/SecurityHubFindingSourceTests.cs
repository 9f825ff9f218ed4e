using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SecHubFanout.Aws.SecurityHub;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Resilience;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Aws.Tests.SecurityHub;

[TestClass]
public sealed class SecurityHubFindingSourceTests
{
    // Unusual spacing and escapes on purpose: the body must carry these exact bytes.
    private const string Query = "{\"Filters\": {\"UpdatedAt\":[{\"Start\":\"2026-01-01T00:00:00Z\",\"End\":\"2026-02-01T00:00:00Z\"}],"
        + "\"Title\":[{\"Value\":\"caf\\u00e9 \\\"x\\\" ✓\",\"Comparison\":\"EQUALS\"}]},\n \"SortCriteria\":[{\"Field\":\"UpdatedAt\",\"SortOrder\":\"asc\"}],\"MaxResults\":100 }";

    private const string FindingA = "{\"Id\":\"arn:a\",\"Title\":\"caf\\u00e9 \\\"quoted\\\" ✓ 日本語 é\",\"Nested\":{\"Arr\":[1,2.50,{\"k\":null}],\"Esc\":\"a\\/b\\\\c\\n\"}}";
    private const string FindingB = "{ \"Id\" : \"arn:b\",\r\n  \"Description\":\"\\ud83d\\ude00 and 😀\" }";

    private static StubAwsServer s_server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_server = await StubAwsServer.StartScriptedAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await s_server.DisposeAsync();

    [TestMethod]
    public async Task GetFindingsAsync_FirstAndNextPage_BodyIsQueryBytesPlusNextToken()
    {
        // Arrange
        s_server.Answer = static http => StubAnswers.WriteAsync(http, 200, "application/json", "{\"Findings\":[]}");
        using var clients = StubAnswers.CreateClients(s_server);
        var source = clients.CreateFindingSource();
        var query = Encoding.UTF8.GetBytes(Query);
        var before = s_server.Requests.Count;
        const string token = "eyJ+/=\"tok\\en\" é";

        // Act
        await source.GetFindingsAsync(new FindingsRequest("eu-west-1", query, null), CancellationToken.None);
        await source.GetFindingsAsync(new FindingsRequest("eu-west-1", query, token), CancellationToken.None);

        // Assert
        var sent = s_server.Requests.Skip(before).ToArray();
        CollectionAssert.AreEqual(query, sent[0].Body);
        var brace = Query.LastIndexOf('}');
        var expected = Query[..brace] + ",\"NextToken\":\"eyJ+/=\\\"tok\\\\en\\\" é\"" + Query[brace..];
        Assert.AreEqual(expected, Encoding.UTF8.GetString(sent[1].Body));
        using var json = JsonDocument.Parse(sent[1].Body);
        Assert.AreEqual(token, json.RootElement.GetProperty("NextToken").GetString());
        Assert.AreEqual(100, json.RootElement.GetProperty("MaxResults").GetInt32());
    }

    [TestMethod]
    public async Task GetFindingsAsync_Request_SignedPostToFindingsForSecurityHub()
    {
        // Arrange
        s_server.Answer = static http => StubAnswers.WriteAsync(http, 200, "application/json", "{\"Findings\":[]}");
        using var clients = StubAnswers.CreateClients(s_server);
        var before = s_server.Requests.Count;

        // Act
        await clients.CreateFindingSource().GetFindingsAsync(new FindingsRequest("ap-south-1", "{}"u8.ToArray(), null), CancellationToken.None);

        // Assert
        var sent = s_server.Requests.Skip(before).Single();
        Assert.AreEqual("POST", sent.Method);
        Assert.AreEqual("/findings", sent.Path);
        Assert.AreEqual("application/json", sent.Headers["content-type"]);
        Assert.IsTrue(sent.Signature.IsValid, sent.Signature.Error);
        Assert.AreEqual("securityhub", sent.Signature.Service);
        Assert.AreEqual("ap-south-1", sent.Signature.Region);
    }

    [TestMethod]
    public async Task GetFindingsAsync_Answer_FindingsAreRawSlicesByteForByte()
    {
        // Arrange
        var answer = "{\"Findings\":[" + FindingA + ",\n  " + FindingB + "],\"NextToken\":\"next\\u002Bpage\"}";
        s_server.Answer = http => StubAnswers.WriteAsync(http, 200, "application/json", answer);
        using var clients = StubAnswers.CreateClients(s_server);

        // Act
        var page = await clients.CreateFindingSource().GetFindingsAsync(new FindingsRequest("eu-west-1", "{}"u8.ToArray(), null), CancellationToken.None);

        // Assert
        Assert.HasCount(2, page.Findings);
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(FindingA), page.Findings[0].ToArray());
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(FindingB), page.Findings[1].ToArray());
        Assert.AreEqual("next+page", page.NextToken);
    }

    [TestMethod]
    [DataRow("{\"Findings\":[],\"NextToken\":\"\"}")]
    [DataRow("{\"NextToken\":null,\"Findings\":[]}")]
    [DataRow("{\"Findings\":[]}")]
    public void ParsePage_LastPage_NextTokenNull(string answer)
    {
        // Act
        var page = SecurityHubFindingSource.ParsePage(Encoding.UTF8.GetBytes(answer));

        // Assert
        Assert.IsEmpty(page.Findings);
        Assert.IsNull(page.NextToken);
    }

    [TestMethod]
    public void BuildBody_EmptyQuery_OnlyNextToken()
    {
        // Act
        var body = SecurityHubFindingSource.BuildBody("{ }"u8.ToArray(), "t1");

        // Assert
        Assert.AreEqual("{ \"NextToken\":\"t1\"}", Encoding.UTF8.GetString(body.Span));
    }

    [TestMethod]
    public void BuildBody_QueryWithNextToken_Throws()
    {
        // Act / Assert
        Assert.ThrowsExactly<ArgumentException>(() => SecurityHubFindingSource.BuildBody("{\"NextToken\":\"x\"}"u8.ToArray(), "t1"));
    }

    [TestMethod]
    public async Task GetFindingsAsync_ThrottledTwiceThenOk_RetryPipelineSucceedsAfterTwoRetries()
    {
        // Arrange
        var calls = 0;
        s_server.Answer = http => Interlocked.Increment(ref calls) <= 2
            ? StubAnswers.WriteAsync(http, 429, "application/json", "{\"message\":\"Too Many Requests\"}", "TooManyRequestsException")
            : StubAnswers.WriteAsync(http, 200, "application/json", "{\"Findings\":[" + FindingA + "]}");
        using var clients = StubAnswers.CreateClients(s_server);
        var source = clients.CreateFindingSource();
        var retried = new List<ServiceCallException>();
        var pipeline = RetryPipeline.Create(FastRetries, TimeProvider.System, retried.Add);

        // Act
        var page = await pipeline.ExecuteAsync(
            async ct => await source.GetFindingsAsync(new FindingsRequest("eu-west-1", "{}"u8.ToArray(), null), ct),
            CancellationToken.None);

        // Assert
        Assert.HasCount(1, page.Findings);
        Assert.AreEqual(3, calls);
        Assert.HasCount(2, retried);
        Assert.IsTrue(retried.All(static e => e.Kind == ServiceErrorKind.Throttled));
    }

    [TestMethod]
    public async Task GetFindingsAsync_InvalidInput_RetryPipelineDoesNotRetry()
    {
        // Arrange
        var calls = 0;
        s_server.Answer = http =>
        {
            Interlocked.Increment(ref calls);
            return StubAnswers.WriteAsync(http, 400, "application/json", "{\"Message\":\"Invalid DateFilter\"}", "InvalidInputException");
        };
        using var clients = StubAnswers.CreateClients(s_server);
        var source = clients.CreateFindingSource();
        var retried = new List<ServiceCallException>();
        var pipeline = RetryPipeline.Create(FastRetries, TimeProvider.System, retried.Add);

        // Act
        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(async () => await pipeline.ExecuteAsync(
            async ct => await source.GetFindingsAsync(new FindingsRequest("eu-west-1", "{}"u8.ToArray(), null), ct),
            CancellationToken.None));

        // Assert
        Assert.AreEqual(ServiceErrorKind.InvalidInput, e.Kind);
        Assert.AreEqual(1, calls);
        Assert.IsEmpty(retried);
    }

    private static RetryOptions FastRetries => new() { MaxRetries = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
}
