using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using SecHubFanout.Emulator.Hosting;

namespace SecHubFanout.Emulator.Protocol;

/// <summary>The two query-protocol calls clients make before Security Hub: STS GetCallerIdentity and EC2 DescribeRegions.</summary>
internal sealed class QueryOperations(EmulatorState state)
{
    private const string StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private const string Ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public Task HandleAsync(HttpContext context, Caller caller, string service, string query, byte[] body)
    {
        var parameters = QueryHelpers.ParseQuery(query);
        foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
        {
            parameters[key] = value;
        }

        var action = parameters.TryGetValue("Action", out var a) ? a.ToString() : string.Empty;
        return (service, action) switch
        {
            ("sts", "GetCallerIdentity") => GetCallerIdentityAsync(context, caller),
            ("ec2", "DescribeRegions") => DescribeRegionsAsync(context),
            ("sts", _) => AwsResponses.StsErrorAsync(context, 400, "InvalidAction", $"The emulator's STS answers only GetCallerIdentity (got Action '{action}')."),
            _ => AwsResponses.Ec2ErrorAsync(context, 400, "InvalidAction", $"The emulator's EC2 answers only DescribeRegions (got Action '{action}')."),
        };
    }

    private static Task GetCallerIdentityAsync(HttpContext context, Caller caller) =>
        AwsResponses.XmlAsync(context, 200, w =>
        {
            w.WriteStartElement("GetCallerIdentityResponse", StsNamespace);
            w.WriteStartElement("GetCallerIdentityResult");
            w.WriteElementString("Arn", $"arn:aws:iam::{caller.Account}:root");
            w.WriteElementString("UserId", caller.Account);
            w.WriteElementString("Account", caller.Account);
            w.WriteEndElement();
            w.WriteStartElement("ResponseMetadata");
            w.WriteElementString("RequestId", context.TraceIdentifier);
            w.WriteEndElement();
            w.WriteEndElement();
        });

    // EC2 knows nothing of Security Hub: disabled Regions are listed like the enabled ones.
    private Task DescribeRegionsAsync(HttpContext context) =>
        AwsResponses.XmlAsync(context, 200, w =>
        {
            w.WriteStartElement("DescribeRegionsResponse", Ec2Namespace);
            w.WriteElementString("requestId", context.TraceIdentifier);
            w.WriteStartElement("regionInfo");
            foreach (var region in state.AllRegions)
            {
                w.WriteStartElement("item");
                w.WriteElementString("regionName", region);
                w.WriteElementString("regionEndpoint", $"ec2.{region}.amazonaws.com");
                w.WriteElementString("optInStatus", "opt-in-not-required");
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
        });
}
