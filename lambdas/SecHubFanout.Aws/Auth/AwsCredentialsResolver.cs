using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.Auth;

/// <summary>Finds AWS credentials: a named profile when one is given (<c>--profile</c>), else the SDK's default chain (environment, profile, SSO, container, instance).</summary>
public sealed class AwsCredentialsResolver
{
    /// <summary>What users see when no credentials can be found.</summary>
    public const string NoCredentialsMessage = "No AWS credentials found: set AWS_PROFILE or run 'aws configure' / 'aws sso login', or pass --profile";

    private readonly string? _profilesLocation;

    /// <summary>Creates a resolver reading the default shared config and credentials files.</summary>
    public AwsCredentialsResolver()
    {
    }

    /// <summary>Creates a resolver reading named profiles from <paramref name="profilesLocation"/> (a shared credentials file; a seam for tests).</summary>
    public AwsCredentialsResolver(string profilesLocation)
    {
        ArgumentException.ThrowIfNullOrEmpty(profilesLocation);
        _profilesLocation = profilesLocation;
    }

    /// <summary>Resolves the credentials of <paramref name="profileName"/>, or of the default chain when it is null; throws <see cref="ServiceCallException"/> (AccessDenied) when there are none.</summary>
    public async Task<AWSCredentials> ResolveAsync(string? profileName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!string.IsNullOrWhiteSpace(profileName))
        {
            var chain = _profilesLocation is null ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(_profilesLocation);
            if (chain.TryGetAWSCredentials(profileName, out var profileCredentials))
            {
                return profileCredentials;
            }

            throw new ServiceCallException(
                ServiceErrorKind.AccessDenied,
                $"The AWS profile '{profileName}' was not found or has no usable credentials: check ~/.aws/config and ~/.aws/credentials, run 'aws configure --profile {profileName}' or 'aws sso login --profile {profileName}'.");
        }

        try
        {
            var credentials = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);
            return credentials ?? throw new ServiceCallException(ServiceErrorKind.AccessDenied, NoCredentialsMessage);
        }
        catch (AmazonClientException e)
        {
            throw new ServiceCallException(ServiceErrorKind.AccessDenied, NoCredentialsMessage, innerException: e);
        }
    }
}
