using System.Globalization;
using System.Text.Json;

namespace SecHubFanout.Emulator.Tests.Support;

/// <summary>What the JavaScript SDK fidelity tests share: running a script against an emulator, and reading what it printed.</summary>
internal static class SdkScripts
{
    /// <summary>Runs <paramref name="script"/> against <paramref name="emulator"/> as <paramref name="account"/> (unless the arguments name another).</summary>
    public static Task<JsonElement> RunAsync(SecurityHubEmulator emulator, string account, string script, object extra)
    {
        var arguments = JsonSerializer.SerializeToNode(extra)!.AsObject();
        arguments["endpoint"] = emulator.Endpoint.ToString();
        arguments.TryAdd("account", account);
        return NodeScript.RunAsync(script, arguments);
    }

    /// <summary>The findings a paginate script printed; fails when it reported an error.</summary>
    public static List<JsonElement> FindingsOf(JsonElement result)
    {
        Assert.IsTrue(result.GetProperty("ok").GetBoolean(), result.ToString());
        return [.. result.GetProperty("findings").EnumerateArray()];
    }

    /// <summary>Fails unless the script reported the modeled exception <paramref name="name"/> with HTTP <paramref name="status"/>.</summary>
    public static void AssertError(JsonElement result, string name, int status, string scenario = "")
    {
        Assert.IsFalse(result.GetProperty("ok").GetBoolean(), scenario + ": " + result);
        Assert.AreEqual(name, result.GetProperty("error").GetProperty("name").GetString(), scenario + ": " + result);
        Assert.AreEqual(status, result.GetProperty("error").GetProperty("status").GetInt32());
    }

    /// <summary>An instant as AWS writes it (UTC, milliseconds, Z).</summary>
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
