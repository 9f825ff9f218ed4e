using System.Net;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Emulator.Tests.Support;

namespace SecHubFanout.Emulator.Tests.Protocol;

[TestClass]
public sealed class NextTokenTests
{
    [TestMethod]
    public async Task GetFindings_TokenOlderThanLifetime_Answers400NamingNextToken()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 15, 30, TimeSpan.Zero));
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 50, TokenLifetime = TimeSpan.FromMinutes(1), TimeProvider = time, GetFindingsBurst = 100 });
        using var client = new SignedClient(emulator.Endpoint);
        var first = await client.GetFindingsAsync(new { MaxResults = 10 });
        var token = first.Json.GetProperty("NextToken").GetString();

        time.Advance(TimeSpan.FromSeconds(59));
        var fresh = await client.GetFindingsAsync(new { MaxResults = 10, NextToken = token });
        time.Advance(TimeSpan.FromSeconds(2));
        var stale = await client.GetFindingsAsync(new { MaxResults = 10, NextToken = token });

        Assert.AreEqual(HttpStatusCode.OK, fresh.Status, fresh.Text);
        Assert.AreEqual(HttpStatusCode.BadRequest, stale.Status);
        Assert.AreEqual("InvalidInputException", stale.ErrorType);
        StringAssert.Contains(stale.Json.GetProperty("Message").GetString(), "NextToken has expired");
    }

    [TestMethod]
    public async Task GetFindings_TokenNeverExpiresByDefault_ContinuesAfterADay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 50, TimeProvider = time });
        using var client = new SignedClient(emulator.Endpoint);
        var token = (await client.GetFindingsAsync(new { MaxResults = 10 })).Json.GetProperty("NextToken").GetString();

        time.Advance(TimeSpan.FromDays(1));
        var next = await client.GetFindingsAsync(new { MaxResults = 10, NextToken = token });

        Assert.AreEqual(HttpStatusCode.OK, next.Status, next.Text);
        Assert.AreEqual(10, next.Json.GetProperty("Findings").GetArrayLength());
    }

    [TestMethod]
    [DataRow("not-a-token")]
    [DataRow("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task GetFindings_ForgedToken_Answers400InvalidNextToken(string token)
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 10 });
        using var client = new SignedClient(emulator.Endpoint);

        var reply = await client.GetFindingsAsync(new { NextToken = token });

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        StringAssert.StartsWith(reply.Json.GetProperty("Message").GetString(), "Invalid NextToken");
    }

    [TestMethod]
    public async Task GetFindings_TokenFromOtherRegion_Answers400InputQueryHasChanged()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Regions = ["us-east-1", "eu-west-1"], FindingsPerRegion = 20 });
        using var client = new SignedClient(emulator.Endpoint);
        var token = (await client.GetFindingsAsync(new { MaxResults = 5 }, "us-east-1")).Json.GetProperty("NextToken").GetString();

        var reply = await client.GetFindingsAsync(new { MaxResults = 5, NextToken = token }, "eu-west-1");

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        StringAssert.Contains(reply.Json.GetProperty("Message").GetString(), "Input Query has changed");
    }

    [TestMethod]
    public async Task GetFindings_LastPage_HasNoNextToken()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 20 });
        using var client = new SignedClient(emulator.Endpoint);
        var token = (await client.GetFindingsAsync(new { MaxResults = 10 })).Json.GetProperty("NextToken").GetString();

        var last = await client.GetFindingsAsync(new { MaxResults = 10, NextToken = token });

        Assert.AreEqual(10, last.Json.GetProperty("Findings").GetArrayLength());
        Assert.IsFalse(last.Json.TryGetProperty("NextToken", out _), last.Text[^100..]);
    }
}
