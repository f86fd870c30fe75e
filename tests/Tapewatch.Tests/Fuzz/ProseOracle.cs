using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;

namespace Tapewatch.Tests.Fuzz;

/// <summary>A figure the weekly-report parser returned: the global total, the AuM, or an asset's or a country's flow (whole USD).</summary>
public sealed record ProseClaim(string Subject, long Usd);

/// <summary>
/// Checks CoinShares figures against the prose, read independently of the parser: some sentence of the text names the
/// subject (an asset, a country, the global total or the AuM), and after that name states the amount (US$ + number +
/// unit, equal to the figure's size) with a flow word of the figure's sign ("inflows" for +, "outflows", "withdrawals"
/// or "redemptions" for −; none for the AuM). A figure read from another sentence, another subject, a wrong unit or
/// the wrong direction is not borne out. The text is taken two ways (markup dropped from the raw input, and the text
/// AngleSharp sees), and a sentence ends only where both the parser and a reader would end it.
/// </summary>
public static partial class ProseOracle
{
    /// <summary>Names of each subject as the reports write them (independent of the parser's own patterns).</summary>
    private static readonly Dictionary<string, Regex> Subjects = new(StringComparer.Ordinal)
    {
        ["Total"] = new(@"(?i:\b(?:digital[- ]asset|crypto\w*)\b[^.]{0,40}?\b(?:products|funds|ETPs)\b|\bnet\b|\btotal)"),
        ["AuM"] = new(@"(?i:\bassets\s+under\s+management\b|\bAuM\b)"),
        ["Bitcoin"] = new(@"(?i:\bbitcoin\b|\bBTC\b)"),
        ["Short-bitcoin"] = new(@"(?i:\bshort[- ]?(?:bitcoin|BTC)\b)"),
        ["Ethereum"] = new(@"(?i:\bether(?:eum)?\b|\bETH\b)"),
        ["Solana"] = new(@"(?i:\bsolana\b|\bSOL\b)"),
        ["XRP"] = new(@"(?i:\bXRP\b|\bripple\b)"),
        ["Multi-asset"] = new(@"(?i:\bmulti[- ]?asset\b)"),
        ["United States"] = new(@"\bUSA?\b(?!\$)|(?i:\bunited\s+states\b)"),
        ["Germany"] = new(@"(?i:\bgerman)"),
        ["Switzerland"] = new(@"(?i:\bswitzerland\b|\bswiss\b)"),
        ["Canada"] = new(@"(?i:\bcanad)"),
        ["Sweden"] = new(@"(?i:\bswed)"),
        ["Brazil"] = new(@"(?i:\bbrazil)"),
        ["Hong Kong"] = new(@"(?i:\bhong\s+kong\b)"),
        ["Australia"] = new(@"(?i:\baustralia)"),
        ["Netherlands"] = new(@"(?i:\bnetherlands\b|\bdutch\b)"),
        ["France"] = new(@"(?i:\bfrance\b|\bfrench\b)"),
    };

    public static FuzzVerdict Check(string input, IReadOnlyList<ProseClaim> claims)
    {
        var sentences = Views(input).SelectMany(Sentences).Distinct().ToList();
        var violations = claims.Where(c => !sentences.Any(s => States(s, c))).Select(c => $"no sentence attributes {Describe(c.Usd)} to {c.Subject}").ToList();
        return FuzzVerdict.Parsed(claims.Count, violations);
    }

    private static bool States(string sentence, ProseClaim claim)
    {
        if (!Subjects.TryGetValue(claim.Subject, out var subject)) return false;
        var names = subject.Matches(sentence);
        if (names.Count == 0) return false;
        var firstName = names[0].Index;
        foreach (Match amount in Amount().Matches(sentence))
        {
            if (amount.Index <= firstName || Usd(amount) != Math.Abs((decimal)claim.Usd)) continue;
            if (claim.Subject == "AuM") return true;
            if (claim.Usd > 0 ? Inflow().IsMatch(sentence) : claim.Usd < 0 ? Outflow().IsMatch(sentence) : Inflow().IsMatch(sentence) || Outflow().IsMatch(sentence)) return true;
        }

        return false;
    }

    private static decimal? Usd(Match amount)
    {
        if (!decimal.TryParse(amount.Groups["num"].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return null;
        var unit = amount.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "tn" or "trillion" => 1_000_000_000_000m,
            "bn" or "b" or "billion" => 1_000_000_000m,
            "m" or "mn" or "million" => 1_000_000m,
            "k" or "thousand" => 1_000m,
            _ => 1m,
        };
        try
        {
            return Math.Round(n * unit, MidpointRounding.AwayFromZero);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The text with the markup dropped (entities decoded before and after: feeds escape their HTML), and AngleSharp's text of it.</summary>
    private static IEnumerable<string> Views(string input)
    {
        var decoded = WebUtility.HtmlDecode(input.Replace("<![CDATA[", "", StringComparison.Ordinal).Replace("]]>", "", StringComparison.Ordinal));
        yield return WebUtility.HtmlDecode(Tag().Replace(decoded, " "));
        yield return new HtmlParser().ParseDocument(decoded).DocumentElement.TextContent;
    }

    /// <summary>Sentences end at ".", "!" or "?" followed by a capital (so "US$1.17bn" and "U.S. funds" do not end one).</summary>
    private static IEnumerable<string> Sentences(string text)
    {
        var t = Space().Replace(text.Replace('\u00A0', ' ').Replace('\u202F', ' ').Replace('\u2009', ' '), " ");
        return SentenceEnd().Split(Dotted().Replace(t, "US"));
    }

    private static string Describe(long usd) => usd.ToString("N0", CultureInfo.InvariantCulture) + " USD";

    [GeneratedRegex(@"(?<![\w.])(?:US\$|USD\s?|\$)\s?(?<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s?(?<unit>(?i:billion|bn|b|million|mn|m|thousand|k|trillion|tn)(?![a-zA-Z]))?")]
    private static partial Regex Amount();

    [GeneratedRegex(@"(?i:\bin[- ]?flows?\b)")]
    private static partial Regex Inflow();

    [GeneratedRegex(@"(?i:\bout[- ]?flows?\b|\bwithdrawals?\b|\bredemptions?\b)")]
    private static partial Regex Outflow();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    [GeneratedRegex(@"\bU\.S\.(?:A\.)?")]
    private static partial Regex Dotted();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z])")]
    private static partial Regex SentenceEnd();
}
