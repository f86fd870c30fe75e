using Tapewatch.Core.Evidence;

namespace Tapewatch.Infrastructure.Evidence;

/// <summary>
/// The BTC daily closes and funding history shipped with the app (data/btc, embedded; provenance in data/README.md).
/// </summary>
public static class BundledHistory
{
    public const string ClosesSource = "bundled Binance BTCUSDT daily closes (UTC day)";

    public const string FundingSource = "bundled Binance BTCUSDT funding (8-hourly)";

    private static readonly Lazy<BtcHistory> Cached = new(Read);

    public static BtcHistory Load() => Cached.Value;

    private static BtcHistory Read()
    {
        var (closes, closesProblem) = BtcHistoryCsv.ParseCloses(Open("btc_daily_close_binance.csv"));
        var (funding, fundingProblem) = BtcHistoryCsv.ParseFunding(Open("btc_funding_8h_binance.csv"));
        if (closesProblem is not null || fundingProblem is not null)
        {
            throw new InvalidOperationException($"bundled history is damaged: {closesProblem ?? fundingProblem}");
        }

        return new BtcHistory { Closes = closes!, ClosesSource = ClosesSource, Funding = funding!, FundingSource = FundingSource };
    }

    private static StreamReader Open(string name) =>
        new(typeof(BundledHistory).Assembly.GetManifestResourceStream("history/" + name)
            ?? throw new InvalidOperationException($"bundled history file {name} is not embedded"));
}
