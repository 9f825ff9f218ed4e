using Amazon.CDK;
using SecHubFanout.Cdk;

// `member-template [FILE]` writes the StackSet template (stdout without FILE); anything else synthesizes the CDK app.
if (args.Length > 0 && args[0] == "member-template")
{
    var template = MemberTemplate.Render();
    if (args.Length > 1)
    {
        File.WriteAllText(args[1], template);
    }
    else
    {
        Console.Out.Write(template);
    }

    return 0;
}

var app = new App();
var account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT");
var region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION");
CentralApp.AddCentralStack(
    app,
    ArtifactPaths.FromRepository(ArtifactPaths.FindRepositoryRoot()),
    account is null && region is null ? null : new Amazon.CDK.Environment { Account = account, Region = region });
MemberTemplate.AddTo(app);
app.Synth();
return 0;
