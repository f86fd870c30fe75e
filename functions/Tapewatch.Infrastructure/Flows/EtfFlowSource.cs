using Tapewatch.Core.Flows;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>A remote source of daily US spot BTC ETF flows.</summary>
public interface IEtfFlowSource
{
    /// <summary>Lower-case name used in configuration (<c>Tapewatch:Flows:Sources</c>) and stored with each session.</summary>
    string Name { get; }

    /// <summary>Never throws for source problems (only for cancellation): they become an outcome.</summary>
    Task<EtfFlowFetch> FetchAsync(EtfFlowQuery query, CancellationToken cancellationToken);
}

/// <summary>The sources tried in order (<c>Tapewatch:Flows:Sources</c>) with fail-over.</summary>
public sealed class EtfFlowSourceChain(IEnumerable<IEtfFlowSource> sources, Microsoft.Extensions.Options.IOptions<FlowsOptions> options)
{
    private readonly Dictionary<string, IEtfFlowSource> _sources = sources.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Order => options.Value.SourceOrder;

    public bool IsKnown(string name) => _sources.ContainsKey(name);

    /// <summary>
    /// Tries each source (or only <paramref name="only"/>) until one answers Ok. Returns every attempt; the
    /// last one is the Ok answer when there is one.
    /// </summary>
    public async Task<IReadOnlyList<EtfFlowFetch>> FetchAsync(EtfFlowQuery query, string? only, CancellationToken cancellationToken)
    {
        var names = only is null ? Order : [only.ToLowerInvariant()];
        var attempts = new List<EtfFlowFetch>();
        foreach (var name in names)
        {
            if (!_sources.TryGetValue(name, out var source))
            {
                attempts.Add(EtfFlowFetch.Fail(name, SourceOutcome.Skipped, $"unknown source '{name}'"));
                continue;
            }

            var fetch = await source.FetchAsync(query, cancellationToken).ConfigureAwait(false);
            attempts.Add(fetch);
            if (fetch.Outcome == SourceOutcome.Ok) break;
        }

        return attempts;
    }
}
