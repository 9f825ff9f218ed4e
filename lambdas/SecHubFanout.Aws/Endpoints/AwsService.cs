namespace SecHubFanout.Aws.Endpoints;

/// <summary>What the wire layer needs to know about one AWS service: how to name it to users, find its endpoint, sign for it and speak its protocol.</summary>
/// <param name="DisplayName">The name users know (for example <c>Security Hub</c>), used in error messages.</param>
/// <param name="EnvironmentName">The suffix of its endpoint variable, <c>AWS_ENDPOINT_URL_&lt;EnvironmentName&gt;</c> (SDK convention).</param>
/// <param name="EndpointPrefix">The first label of its regional host name (for example <c>states</c> for Step Functions).</param>
/// <param name="SigningName">The service name of the SigV4 credential scope (also the IAM action prefix for the services here).</param>
public sealed record AwsService(string DisplayName, string EnvironmentName, string EndpointPrefix, string SigningName)
{
    /// <summary>True for services with one endpoint per partition (Organizations), signed for that partition's global Region.</summary>
    public bool IsGlobal { get; init; }

    /// <summary>The <c>X-Amz-Target</c> prefix for JSON 1.0/1.1 services (for example <c>AWSOrganizationsV20161128</c>), else null.</summary>
    public string? TargetPrefix { get; init; }

    /// <summary>The JSON protocol version for JSON services (<c>1.0</c> or <c>1.1</c>), else null.</summary>
    public string? JsonVersion { get; init; }

    /// <summary>The <c>Version</c> parameter for query-protocol services (for example <c>2016-11-15</c> for EC2), else null.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>AWS Security Hub (rest-json).</summary>
    public static AwsService SecurityHub { get; } = new("Security Hub", "SECURITYHUB", "securityhub", "securityhub");

    /// <summary>Amazon S3 (through AWSSDK.S3).</summary>
    public static AwsService S3 { get; } = new("S3", "S3", "s3", "s3");

    /// <summary>AWS STS (query protocol; through AWSSDK.SecurityToken).</summary>
    public static AwsService Sts { get; } = new("STS", "STS", "sts", "sts") { ApiVersion = "2011-06-15" };

    /// <summary>Amazon EC2 (query protocol).</summary>
    public static AwsService Ec2 { get; } = new("EC2", "EC2", "ec2", "ec2") { ApiVersion = "2016-11-15" };

    /// <summary>Amazon DynamoDB (JSON 1.0; through AWSSDK.DynamoDBv2).</summary>
    public static AwsService DynamoDb { get; } = new("DynamoDB", "DYNAMODB", "dynamodb", "dynamodb") { TargetPrefix = "DynamoDB_20120810", JsonVersion = "1.0" };

    /// <summary>AWS Systems Manager (JSON 1.1; through AWSSDK.SimpleSystemsManagement).</summary>
    public static AwsService Ssm { get; } = new("Systems Manager", "SSM", "ssm", "ssm") { TargetPrefix = "AmazonSSM", JsonVersion = "1.1" };

    /// <summary>Amazon SNS (query protocol).</summary>
    public static AwsService Sns { get; } = new("SNS", "SNS", "sns", "sns") { ApiVersion = "2010-03-31" };

    /// <summary>AWS Step Functions (JSON 1.0).</summary>
    public static AwsService StepFunctions { get; } = new("Step Functions", "SFN", "states", "states") { TargetPrefix = "AWSStepFunctions", JsonVersion = "1.0" };

    /// <summary>AWS Organizations (JSON 1.1, global endpoint).</summary>
    public static AwsService Organizations { get; } = new("Organizations", "ORGANIZATIONS", "organizations", "organizations")
    {
        IsGlobal = true,
        TargetPrefix = "AWSOrganizationsV20161128",
        JsonVersion = "1.1",
    };

    /// <summary>Amazon EventBridge (JSON 1.1).</summary>
    public static AwsService EventBridge { get; } = new("EventBridge", "EVENTBRIDGE", "events", "events") { TargetPrefix = "AWSEvents", JsonVersion = "1.1" };

    /// <summary>AWS Glue (JSON 1.1).</summary>
    public static AwsService Glue { get; } = new("Glue", "GLUE", "glue", "glue") { TargetPrefix = "AWSGlue", JsonVersion = "1.1" };

    /// <summary>AWS Lambda (rest-json; the CLI invokes the central Launcher function).</summary>
    public static AwsService Lambda { get; } = new("Lambda", "LAMBDA", "lambda", "lambda");

    /// <summary>AWS CloudFormation (query protocol).</summary>
    public static AwsService CloudFormation { get; } = new("CloudFormation", "CLOUDFORMATION", "cloudformation", "cloudformation") { ApiVersion = "2010-05-15" };
}
