using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace SecHubFanout.Aws.Auth;

/// <summary>The account of the credentials in use, asked of STS GetCallerIdentity once and remembered (a failed call is asked again next time).</summary>
public sealed class CallerAccount
{
    private readonly IAmazonSecurityTokenService _sts;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _account;

    /// <summary>Creates the lookup over <paramref name="sts"/> (GetCallerIdentity needs no IAM permission).</summary>
    public CallerAccount(IAmazonSecurityTokenService sts)
    {
        _sts = sts ?? throw new ArgumentNullException(nameof(sts));
    }

    /// <summary>The 12-digit account ID of the caller.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _account) is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_account is null)
            {
                var identity = await _sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _account, identity.Account);
            }

            return _account!;
        }
        finally
        {
            _gate.Release();
        }
    }
}
