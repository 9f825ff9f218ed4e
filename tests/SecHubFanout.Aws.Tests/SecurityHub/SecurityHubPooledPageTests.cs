using System.Text;
using Microsoft.AspNetCore.Http;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;
using SecHubFanout.Emulator.Findings;
using SecHubFanout.TestSupport;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Aws.Tests.SecurityHub;

/// <summary>GetFindings pages lend their bytes from a pooled response body: valid until the page is disposed, released by disposing it.</summary>
[TestClass]
public sealed class SecurityHubPooledPageTests
{
    private static StubAwsServer s_server = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_server = await StubAwsServer.StartScriptedAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await s_server.DisposeAsync();

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public async Task GetFindingsAsync_LargePage_FindingsValidUntilThePageIsDisposed(bool declareLength)
    {
        // Arrange: a full page of realistic findings (about 330 KB), with and without Content-Length (chunked).
        var answer = SampleFindings.Page(100);
        s_server.Answer = async http =>
        {
            http.Response.ContentType = "application/json";
            if (declareLength)
            {
                http.Response.ContentLength = answer.Length;
            }

            await http.Response.Body.WriteAsync(answer);
        };
        using var clients = StubAnswers.CreateClients(s_server);

        // Act
        var page = await clients.CreateFindingSource().GetFindingsAsync(new FindingsRequest("eu-west-1", "{}"u8.ToArray(), null), TestContext.CancellationToken);
        var expected = SecurityHubFindingSourceParse(answer);

        // Assert: byte for byte while the page lives; its pooled body is released on dispose.
        Assert.HasCount(100, page.Findings);
        for (var i = 0; i < expected.Findings.Count; i++)
        {
            CollectionAssert.AreEqual(expected.Findings[i].ToArray(), page.Findings[i].ToArray(), $"finding {i}");
        }

        var owner = page.MemoryOwner as PooledResponseBody;
        Assert.IsNotNull(owner, "the page owns its pooled body");
        page.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => owner.Memory);
    }

    [TestMethod]
    public async Task GetFindingsAsync_BodyStallsAfterHeaders_TimesOutAsTransient()
    {
        // Arrange: headers and half a body, then nothing: the client's timeout must still cover the body.
        s_server.Answer = async http =>
        {
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = 1_000;
            await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"Findings\":["));
            await http.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }
        };
        using var clients = StubAnswers.CreateClients(s_server, timeout: TimeSpan.FromSeconds(1));

        // Act
        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(
            () => clients.CreateFindingSource().GetFindingsAsync(new FindingsRequest("eu-west-1", "{}"u8.ToArray(), null), TestContext.CancellationToken));

        // Assert
        Assert.AreEqual(ServiceErrorKind.Transient, e.Kind);
        StringAssert.Contains(e.Message, "timed out");
    }

    private static FindingPage SecurityHubFindingSourceParse(byte[] answer) => Aws.SecurityHub.SecurityHubFindingSource.ParsePage(answer);
}
