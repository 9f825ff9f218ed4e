using System.Net;
using System.Text.Json;
using SecHubFanout.Emulator.Tests.Fidelity;
using SecHubFanout.Emulator.Tests.Support;

namespace SecHubFanout.Emulator.Tests.Protocol;

[TestClass]
public sealed class BatchImportFindingsTests
{
    private const string Account = "111111111111";

    [TestMethod]
    public async Task Import_SameProductArnAndId_ReplacesTheFinding()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], FindingsPerRegion = 5 });
        using var client = new SignedClient(emulator.Endpoint, Account);
        var finding = JsonSerializer.SerializeToNode(JavaScriptSdkFidelityTests.Asff("dup", Account, "gen"))!;

        await ImportAsync(client, finding);
        finding["Title"] = "second version";
        var reply = await ImportAsync(client, finding);
        var all = await client.GetAllFindingsAsync();

        Assert.AreEqual(1, reply.Json.GetProperty("SuccessCount").GetInt32());
        Assert.AreEqual(6, all.Count);
        Assert.AreEqual("second version", all.Single(f => f.Id() == "dup").Str("Title"));
        Assert.HasCount(6, emulator.FindingIds(Account, "us-east-1"));
    }

    [TestMethod]
    public async Task Import_GeneratedFindingsIdAndProductArn_ReplacesTheGeneratedOne()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], FindingsPerRegion = 5 });
        using var client = new SignedClient(emulator.Endpoint, Account);
        var original = (await client.GetAllFindingsAsync())[0];
        var changed = JsonSerializer.SerializeToNode(original)!;
        changed["Title"] = "updated by import";

        await ImportAsync(client, changed);
        var all = await client.GetAllFindingsAsync();

        Assert.AreEqual(5, all.Count);
        Assert.AreEqual("updated by import", all.Single(f => f.Id() == original.Id()).Str("Title"));
    }

    [TestMethod]
    public async Task Import_WhileIndexingHeld_ServesPreviousVersionUntilReleased()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], FindingsPerRegion = 5 });
        using var client = new SignedClient(emulator.Endpoint, Account);
        var original = (await client.GetAllFindingsAsync())[0];
        var changed = JsonSerializer.SerializeToNode(original)!;
        changed["Title"] = "updated while the index lags";
        var late = JsonSerializer.SerializeToNode(JavaScriptSdkFidelityTests.Asff("late", Account, "gen"))!;

        List<JsonElement> whileHeld;
        using (emulator.HoldIndexing())
        {
            var reply = await ImportAsync(client, changed);
            await ImportAsync(client, late);
            whileHeld = await client.GetAllFindingsAsync();
            Assert.AreEqual(1, reply.Json.GetProperty("SuccessCount").GetInt32(), "the write is accepted at once");
        }

        var afterwards = await client.GetAllFindingsAsync();

        Assert.HasCount(5, whileHeld);
        Assert.AreEqual(original.Str("Title"), whileHeld.Single(f => f.Id() == original.Id()).Str("Title"), "queries keep the previous version");
        Assert.HasCount(6, afterwards);
        Assert.AreEqual("updated while the index lags", afterwards.Single(f => f.Id() == original.Id()).Str("Title"));
        Assert.AreEqual(afterwards.Single(f => f.Id() == "late").GetRawText(), emulator.Findings(Account, "us-east-1")["late"], "Findings() holds the bytes served");
    }

    [TestMethod]
    public async Task Import_MoreThan100Findings_Answers400()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], FindingsPerRegion = 0 });
        using var client = new SignedClient(emulator.Endpoint, Account);
        var findings = Enumerable.Range(0, 101).Select(i => JavaScriptSdkFidelityTests.Asff("f" + i, Account, "gen")).ToArray();

        var reply = await client.PostAsync("/findings/import", JsonSerializer.Serialize(new { Findings = findings }));

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        Assert.AreEqual("InvalidInputException", reply.ErrorType);
        Assert.IsEmpty(emulator.FindingIds(Account, "us-east-1"));
    }

    [TestMethod]
    public async Task Import_FindingOver240KB_Answers400()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], FindingsPerRegion = 0 });
        using var client = new SignedClient(emulator.Endpoint, Account);
        var big = JsonSerializer.SerializeToNode(JavaScriptSdkFidelityTests.Asff("big", Account, "gen"))!;
        big["Description"] = new string('x', 241 * 1024);

        var reply = await ImportAsync(client, big);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        StringAssert.Contains(reply.Json.GetProperty("Message").GetString(), "240 KB");
    }

    [TestMethod]
    public async Task Import_MissingRequiredAttributes_ReportsFailedFinding()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], FindingsPerRegion = 0 });
        using var client = new SignedClient(emulator.Endpoint, Account);

        var reply = await client.PostAsync("/findings/import", """{"Findings":[{"Id":"partial","AwsAccountId":"111111111111"}]}""");

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        Assert.AreEqual(1, reply.Json.GetProperty("FailedCount").GetInt32());
        Assert.AreEqual("InvalidInput", reply.Json.GetProperty("FailedFindings")[0].GetProperty("ErrorCode").GetString());
    }

    private static Task<Reply> ImportAsync(SignedClient client, System.Text.Json.Nodes.JsonNode finding) =>
        client.PostAsync("/findings/import", new System.Text.Json.Nodes.JsonObject { ["Findings"] = new System.Text.Json.Nodes.JsonArray(finding.DeepClone()) }.ToJsonString());
}
