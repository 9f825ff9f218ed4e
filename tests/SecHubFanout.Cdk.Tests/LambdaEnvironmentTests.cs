using System.Text.Json.Nodes;
using SecHubFanout.Coordinator;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Exporter;
using static SecHubFanout.Cdk.Tests.CentralTemplate;

namespace SecHubFanout.Cdk.Tests;

/// <summary>
/// The environment each stack synthesizes for its functions, with its intrinsics resolved as CloudFormation would for a
/// deployment with the parameters' defaults, parsed by the functions' real options classes.
/// </summary>
[TestClass]
public sealed class LambdaEnvironmentTests
{
    private const string Account = "123456789012";
    private const string Region = "eu-west-1";

    [TestMethod]
    public void ExporterEnvironment_AsSynthesized_ParsesWithTheExporterOptions()
    {
        var member = SynthesizedStacks.Member;
        var function = member.Resources("AWS::Lambda::Function").Single(f => ((string?)f.Value["Properties"]!["Handler"])?.StartsWith("SecHubFanout.Exporter::", StringComparison.Ordinal) == true);
        var variables = Resolve(member, function.Value["Properties"]!["Environment"]!["Variables"]!.AsObject());

        var options = ExporterOptions.FromEnvironment(name => name == "AWS_REGION" ? Region : variables.GetValueOrDefault(name));

        CollectionAssert.IsSubsetOf(ExporterEnvironment.All.Where(n => n != ExporterEnvironment.PartSize).ToList(), variables.Keys.ToList());
        Assert.AreEqual(Account, options.FindingsBucketOwner);
        Assert.AreEqual(FanoutNames.CountParameterPrefix, options.CountParameterPrefix);
        Assert.AreEqual(TimeSpan.FromSeconds(int.Parse(variables[ExporterEnvironment.TimeBudgetSeconds], System.Globalization.CultureInfo.InvariantCulture)), options.TimeBudget);
        Assert.IsLessThan(TimeSpan.FromSeconds(function.Value["Properties"]!["Timeout"]!.GetValue<int>()), options.TimeBudget);
    }

    [TestMethod]
    [DataRow(LauncherType, 900)]
    [DataRow(CoordinatorType, 300)]
    [DataRow(ReconcilerType, 300)]
    public void CentralEnvironment_AsSynthesized_ParsesWithTheCentralOptions(string type, int timeoutSeconds)
    {
        var central = SynthesizedStacks.Central;
        var variables = Resolve(central, OurFunction(type).Value["Properties"]!["Environment"]!["Variables"]!.AsObject());

        var options = CentralOptions.FromEnvironment(name => name == "AWS_REGION" ? Region : variables.GetValueOrDefault(name));

        Assert.AreEqual(TimeSpan.FromSeconds(timeoutSeconds), options.FunctionTimeout);
        Assert.AreEqual(Account, options.FindingsBucketOwner);
        Assert.AreEqual(FanoutNames.LedgerFailuresIndex, variables[CentralEnvironment.LedgerFailuresIndex]);
        Assert.AreEqual("SELF", options.CallAs);
        Assert.IsFalse(options.IncludeThisAccount);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromHours(24), options.SilentAfter);
        StringAssert.StartsWith(options.TopicArn, "arn:aws:sns:");
    }

    private static Dictionary<string, string> Resolve(SynthesizedTemplate template, JsonObject variables)
    {
        // A parameter stands for its default; a resource for a name, an SNS topic for its ARN.
        var intrinsics = new Intrinsics(
            Account,
            Region,
            name => name switch
            {
                "CentralAccountId" => Account,
                _ when template.Root["Parameters"]?[name] is JsonObject parameter => parameter["Default"]?.ToString() ?? string.Empty,
                _ when template.Root["Resources"]![name]!["Type"]!.GetValue<string>() == "AWS::SNS::Topic" => $"arn:aws:sns:{Region}:{Account}:{name}",
                _ => name.ToLowerInvariant(),
            },
            getAtt => $"arn:aws:{getAtt[0]!.GetValue<string>().ToLowerInvariant()}:{Region}:{Account}:{getAtt[1]}");
        return variables.ToDictionary(v => v.Key, v => intrinsics.Resolve(v.Value!));
    }
}
