using System.Text.Json.Nodes;

namespace SecHubFanout.Cdk.Tests;

/// <summary>
/// Resolves the intrinsics the stacks use in strings (Fn::Join, Ref, Fn::GetAtt) as CloudFormation would in one account and Region;
/// the caller says what a Ref to anything but a pseudo parameter, and a GetAtt, stand for.
/// </summary>
internal sealed class Intrinsics(string account, string region, Func<string, string> reference, Func<JsonArray, string> getAtt)
{
    public string Resolve(JsonNode node)
    {
        if (node is JsonValue value)
        {
            return value.ToString();
        }

        var obj = node.AsObject();
        if (obj["Fn::Join"] is JsonArray join)
        {
            var parts = join[1] switch
            {
                JsonArray list => list.Select(p => Resolve(p!)),
                JsonObject listRef => [Resolve(listRef)],
                _ => throw new InvalidOperationException("unexpected Fn::Join list"),
            };
            return string.Join(join[0]!.GetValue<string>(), parts);
        }

        if (obj["Ref"] is JsonValue name)
        {
            return name.GetValue<string>() switch
            {
                "AWS::AccountId" => account,
                "AWS::Region" => region,
                "AWS::Partition" => "aws",
                "AWS::URLSuffix" => "amazonaws.com",
                var other => reference(other),
            };
        }

        return obj["Fn::GetAtt"] is JsonArray attribute
            ? getAtt(attribute)
            : throw new InvalidOperationException("an intrinsic this resolver does not know: " + obj.ToJsonString());
    }
}
