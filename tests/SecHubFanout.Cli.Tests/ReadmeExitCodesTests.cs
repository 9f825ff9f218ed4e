using System.Text.RegularExpressions;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests;

/// <summary>The README's exit-code table is the one in the code (and in --help).</summary>
[TestClass]
public sealed class ReadmeExitCodesTests
{
    [TestMethod]
    public void ReadmeExitCodes_EqualTheCodesTable()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var section = Regex.Match(readme, "<!-- section: exit-codes -->(.*?)<!-- end: exit-codes -->", RegexOptions.Singleline).Groups[1].Value;

        var rows = Regex.Matches(section, @"^\| (\d+) \| (.+) \|$", RegexOptions.Multiline).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();

        CollectionAssert.AreEqual(ExitCodes.Table.ToList(), rows);
    }
}
