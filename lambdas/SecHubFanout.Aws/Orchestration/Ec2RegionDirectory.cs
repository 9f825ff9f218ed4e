using Polly;
using SecHubFanout.Aws.Ec2;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>The Regions enabled in the central account (EC2 <c>DescribeRegions</c> in the home Region): the default when no Regions are named.</summary>
public sealed class Ec2RegionDirectory : IRegionDirectory
{
    private readonly Ec2RegionCatalog _catalog;
    private readonly string _homeRegion;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the directory over the catalog, asking in <paramref name="homeRegion"/>.</summary>
    public Ec2RegionDirectory(Ec2RegionCatalog catalog, string homeRegion, ResiliencePipeline retry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(homeRegion);
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _homeRegion = homeRegion;
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListRegionsAsync(CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(async ct => await _catalog.ListEnabledRegionsAsync(_homeRegion, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
