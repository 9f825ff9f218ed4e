using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary>Where the report tests look for Chromium: CHROME_PATH, then chromium, chromium-browser, google-chrome on PATH.</summary>
[TestClass]
public sealed class HeadlessChromiumTests
{
    [TestMethod]
    public void Find_ChromePathSet_TakesItOverPath()
    {
        using var dir = new TempDirectory();
        var chrome = Touch(dir.Path, "my-chrome");
        Touch(dir.Path, "chromium");

        Assert.AreEqual(chrome, HeadlessChromium.Find(chrome, dir.Path));
    }

    [TestMethod]
    public void Find_ChromePathMissing_FindsNothingRatherThanAnotherBrowser()
    {
        using var dir = new TempDirectory();
        Touch(dir.Path, "chromium");

        Assert.IsNull(HeadlessChromium.Find(Path.Combine(dir.Path, "gone"), dir.Path));
    }

    [TestMethod]
    public void Find_OnPath_PrefersChromiumThenChromiumBrowserThenGoogleChrome()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var chrome = Touch(first.Path, "google-chrome");
        var browser = Touch(second.Path, "chromium-browser");
        var path = string.Join(Path.PathSeparator, first.Path, second.Path);

        Assert.AreEqual(browser, HeadlessChromium.Find(null, path));
        File.Delete(browser);
        Assert.AreEqual(chrome, HeadlessChromium.Find(null, path));
        var chromium = Touch(second.Path, "chromium");
        Assert.AreEqual(chromium, HeadlessChromium.Find(null, path));
    }

    [TestMethod]
    public void Find_NothingOnPath_NamesNoLinuxBrowser()
    {
        using var dir = new TempDirectory();

        var found = HeadlessChromium.Find(null, dir.Path);

        Assert.IsTrue(found is null || found.StartsWith("/Applications/", StringComparison.Ordinal), found);
    }

    private static string Touch(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n");
        return path;
    }
}
