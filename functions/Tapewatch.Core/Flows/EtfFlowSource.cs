namespace Tapewatch.Core.Flows;

/// <summary>What a source made of one fetch.</summary>
public enum SourceOutcome
{
    /// <summary>Rows were read (possibly none in the range).</summary>
    Ok,

    /// <summary>The source refused us: Cloudflare challenge, 401/403/451. Nothing is written.</summary>
    SourceBlocked,

    /// <summary>The source answered something we could not understand. Nothing is written.</summary>
    ParseFailed,

    /// <summary>Network error, timeout, 5xx after retries.</summary>
    Failed,

    /// <summary>The source is not usable as configured (e.g. no API key); the next source is tried.</summary>
    Skipped,
}

/// <summary>The sessions wanted, by New York date (inclusive).</summary>
public sealed record EtfFlowQuery(DateOnly From, DateOnly To);

/// <summary>One source's answer: rows, or an outcome with a reason that is safe to show.</summary>
public sealed record EtfFlowFetch
{
    public required string Source { get; init; }

    public required SourceOutcome Outcome { get; init; }

    public IReadOnlyList<EtfFlowRow> Rows { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Why the fetch did not succeed (never contains secrets).</summary>
    public string? Error { get; init; }

    /// <summary>The source gives daily totals only, without a per-fund split (SoSoValue).</summary>
    public bool TotalsOnly { get; init; }

    public static EtfFlowFetch Fail(string source, SourceOutcome outcome, string error) => new() { Source = source, Outcome = outcome, Error = error };

    public override string ToString() => Error is null ? $"{Source}: {Outcome}" : $"{Source}: {Outcome}: {Error}";
}

/// <summary>A remote source of daily US spot BTC ETF flows.</summary>
public interface IEtfFlowSource
{
    /// <summary>Lower-case name used in configuration (<c>Tapewatch:Flows:Sources</c>) and stored with each session.</summary>
    string Name { get; }

    /// <summary>Never throws for source problems (only for cancellation): they become an outcome.</summary>
    Task<EtfFlowFetch> FetchAsync(EtfFlowQuery query, CancellationToken cancellationToken);
}

public static class EtfFlowSourceNames
{
    public const string Farside = "farside";
    public const string SoSoValue = "sosovalue";

    public static IReadOnlyList<string> Remote { get; } = [Farside, SoSoValue];
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
