using System.Globalization;
using System.Text.RegularExpressions;

namespace Tapewatch.Core.Weekly;

/// <summary>The figures the prose of one weekly report states (whole USD; unstated = absent).</summary>
public sealed record WeeklyReportFigures(
    long TotalUsd,
    IReadOnlyDictionary<string, long> Assets,
    IReadOnlyDictionary<string, long> Regions,
    long? AumUsd);

/// <summary>
/// Reads the prose of a CoinShares "Digital Asset Fund Flows Weekly Report" (its tables are images).
/// Each figure is attached to the asset or country named just before it in the same sentence, with
/// the sign taken from the words (inflows / outflows), e.g. "Bitcoin saw outflows of US$946m" → −946,000,000;
/// lists ending in "respectively" are paired in order. Anything ambiguous (a list whose figures do not
/// match its names, a year-to-date or multi-week figure) is left out rather than guessed.
/// </summary>
public static partial class WeeklyReportParser
{
    /// <summary>Assets the report names, canonical key first.</summary>
    public static readonly IReadOnlyList<string> KnownAssets = ["Bitcoin", "Ethereum", "Solana", "XRP", "Multi-asset", "Short-bitcoin"];

    /// <summary>Countries the report names, canonical key first.</summary>
    public static readonly IReadOnlyList<string> KnownRegions =
        ["United States", "Germany", "Switzerland", "Canada", "Sweden", "Brazil", "Hong Kong", "Australia", "Netherlands", "France"];

    private enum Kind
    {
        Total,
        Asset,
        Region,
    }

    private sealed record Entity(string Key, Kind Kind, Regex Pattern);

    private readonly record struct Mention(Entity Entity, int Start, int End);

    private readonly record struct Amount(long Usd, int Start, int End);

    private readonly record struct Flow(int Sign, int Start, int End);

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static readonly Entity[] Entities =
    [
        new("Total", Kind.Total, R(@"(?i:\b(?:digital[- ]asset|crypto(?:currency)?|crypto[- ]asset)\s+(?:investment\s+products|investment\s+funds|funds|ETPs|exchange[- ]traded\s+products)\b)")),
        new("Short-bitcoin", Kind.Asset, R(@"(?i:\bshort[- ]?(?:bitcoin|BTC)\b)")),
        new("Bitcoin", Kind.Asset, R(@"(?i:(?<!short[- ]?)\b(?:bitcoin|BTC)\b(?![- ]?cash))")),
        new("Ethereum", Kind.Asset, R(@"(?i:\bether(?:eum)?\b)|\bETH\b")),
        new("Solana", Kind.Asset, R(@"(?i:\bsolana\b)|\bSOL\b")),
        new("XRP", Kind.Asset, R(@"\bXRP\b|(?i:\bripple\b)")),
        new("Multi-asset", Kind.Asset, R(@"(?i:\bmulti[- ]?asset\b)")),
        new("United States", Kind.Region, R(@"\bUSA?\b(?![$\w])|(?i:\bunited\s+states\b)")),
        new("Germany", Kind.Region, R(@"(?i:\bgerman(?:y)?\b)")),
        new("Switzerland", Kind.Region, R(@"(?i:\bswitzerland\b|\bswiss\b)")),
        new("Canada", Kind.Region, R(@"(?i:\bcanad(?:a|ian)\b)")),
        new("Sweden", Kind.Region, R(@"(?i:\bswed(?:en|ish)\b)")),
        new("Brazil", Kind.Region, R(@"(?i:\bbrazil(?:ian)?\b)")),
        new("Hong Kong", Kind.Region, R(@"(?i:\bhong\s+kong\b)")),
        new("Australia", Kind.Region, R(@"(?i:\baustralian?\b)")),
        new("Netherlands", Kind.Region, R(@"(?i:\bnetherlands\b|\bdutch\b)")),
        new("France", Kind.Region, R(@"(?i:\bfrance\b|\bfrench\b)")),
    ];

    // The number is atomic (no backtracking into "49.7m…" to read "49") and the unit is required: the reports
    // always state one ("US$1.17bn", "US$946m", "US$500k") or the whole dollars ("US$150,000"), so a bare or
    // corrupted figure is not an amount.
    private static readonly Regex AmountPattern = R(
        @"(?<![\w.])(?:US\$|USD\s?|\$)\s?(?:(?<num>(?>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?))\s?(?<unit>(?i:billion|bn|b|million|mn|m|thousand|k|trillion|tn))|(?<num>(?>[0-9]{1,3}(?:,[0-9]{3})+))(?![.,]?[0-9]))(?![\w$])");

    private static readonly Regex FlowPattern = R(@"(?i:\b(?<dir>in|out)[- ]?flows?\b|\b(?<neg>withdrawals?|redemptions?)\b)");

    private static readonly Regex AumPattern = R(@"(?i:\bassets\s+under\s+management\b|\bAuM\b)");

    /// <summary>Markers of a figure that is not the week's own (year-to-date, a multi-week run…).</summary>
    private const string Span =
        @"\b(?:past|last|previous)\s+(?:[0-9]+|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+(?:weeks|months)\b"
        + @"|\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:month|year|quarter)\b";

    private static readonly Regex CumulativeBefore = R(
        @"(?i:to[- ]date|\bYTD\b|\bMTD\b|\bso\s+far\b|" + Span + @"|\bsince\s+(?:the\s+)?(?:start|beginning|launch|inception)\b|\bcumulative|\bbringing\b|\btaking\b)");

    private static readonly Regex CumulativeAfter = R(
        @"(?i:to[- ]date|\bYTD\b|\bMTD\b|\bso\s+far\b|" + Span + @"|\bsince\s+(?:the\s+)?(?:start|beginning|launch|inception)\b|\bthis\s+(?:year|month)\b|\bcumulative)");

    private static readonly Regex ListSeparator = R(@"^\s*(?:,|,?\s*and|&|,?\s*as\s+well\s+as)?\s*(?:the\s+)?$");

    private static readonly Regex SentenceBreak = R(@"(?<=[.!?])\s+(?=[A-Z0-9“""‘'(\[])");

    /// <summary>"Europe and Canada saw…": the figure is shared with a name we do not know.</summary>
    private static readonly Regex UnknownBefore = R(@"\b[A-Z][\w-]*\s+(?:and|&)\s+(?:the\s+)?$");

    /// <summary>"Solana and Cardano saw…", "the US, Europe…": the list goes on with a name we do not know.</summary>
    private static readonly Regex UnknownAfter = R(@"^\s*(?:,|and|&)\s*(?:the\s+)?[A-Z]");

    /// <summary>"US digital asset funds", "US-listed crypto ETPs": the country qualifies the subject.</summary>
    private static readonly Regex QualifierGap = R(@"^(?:\s*|-(?:based|listed|domiciled)\s+)$");

    private static readonly Regex FollowedBy = R(@"(?i:\bfollowed\s+by\s+(?:the\s+)?$)");

    private static readonly Regex Respectively = R(@"(?i:\brespectively\b)");

    private static readonly Regex NetOrTotal = R(@"(?i:\b(?:net|total|totall?ing|totall?ed)\b)");

    /// <summary>How far (characters) after a name its figure may be.</summary>
    private const int MaxDistance = 140;

    private static Regex R(string pattern) => new(pattern, Options, RegexTimeout);

    /// <summary>
    /// Parses the plain text of a report. Returns null and a reason when no global total is stated, or when an
    /// amount is too large to be a fund flow (a corrupted page: nothing is guessed).
    /// </summary>
    public static WeeklyReportFigures? Parse(string text, out string? error)
    {
        try
        {
            return ParseFigures(text, out error);
        }
        catch (OverflowException)
        {
            error = "an amount in the report is out of range (more than 9.2 quintillion USD); the report looks corrupted";
            return null;
        }
    }

    private static WeeklyReportFigures? ParseFigures(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        long? total = null;
        long? aum = null;
        var assets = new Dictionary<string, long>(StringComparer.Ordinal);
        var regions = new Dictionary<string, long>(StringComparer.Ordinal);

        var sentences = Sentences(Normalize(text)).ToList();
        foreach (var sentence in sentences)
        {
            foreach (var (entity, usd) in Attribute(sentence))
            {
                switch (entity.Kind)
                {
                    case Kind.Total:
                        total ??= usd;
                        break;
                    case Kind.Asset:
                        assets.TryAdd(entity.Key, usd);
                        break;
                    default:
                        regions.TryAdd(entity.Key, usd);
                        break;
                }
            }

            aum ??= Aum(sentence);
        }

        total ??= sentences.Select(FallbackTotal).FirstOrDefault(t => t is not null);
        if (total is null)
        {
            error = "the report prose states no global total (expected e.g. \"Digital asset investment products saw outflows totalling US$1.17bn\")";
            return null;
        }

        error = null;
        return new WeeklyReportFigures(total.Value, assets, regions, aum);
    }

    /// <summary>Parses "US$1.17bn", "$946m", "USD 423m", "US$0.3m", "US$500k" into whole USD.</summary>
    public static bool TryParseAmount(string text, out long usd)
    {
        var m = AmountPattern.Match(text ?? "");
        usd = 0;
        if (!m.Success || m.Index != 0 || m.Length != text!.Trim().Length) return false;
        try
        {
            usd = ToUsd(m);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    internal static string Normalize(string text)
    {
        var t = text.Replace('\u00A0', ' ').Replace('\u202F', ' ').Replace('\u2009', ' ')
            .Replace('\u2011', '-').Replace('\u2010', '-').Replace('\u2013', '-').Replace('\u2019', '\'');
        t = UsDots().Replace(t, "US");
        t = UsDollarSpace().Replace(t, "US$");
        return t;
    }

    internal static IEnumerable<string> Sentences(string text)
    {
        foreach (var paragraph in text.Split('\n'))
        {
            var p = Whitespace().Replace(paragraph, " ").Trim();
            if (p.Length == 0) continue;
            foreach (var s in SentenceBreak.Split(p))
            {
                if (s.Length > 0) yield return s;
            }
        }
    }

    private static IEnumerable<(Entity Entity, long Usd)> Attribute(string sentence)
    {
        var mentions = Mentions(sentence);
        if (mentions.Count == 0) yield break;
        var amounts = AmountPattern.Matches(sentence).Select(m => new Amount(ToUsd(m), m.Index, m.Index + m.Length)).ToList();
        if (amounts.Count == 0) yield break;
        var flows = FlowPattern.Matches(sentence).Select(m => new Flow(m.Groups["dir"].Value.Equals("in", StringComparison.OrdinalIgnoreCase) ? 1 : -1, m.Index, m.Index + m.Length)).ToList();
        if (flows.Count == 0) yield break;

        var i = 0;
        while (i < mentions.Count)
        {
            // A list of names of one kind: "Germany and Switzerland", "Solana, XRP and Ethereum".
            var j = i;
            while (j + 1 < mentions.Count
                && mentions[j + 1].Entity.Kind == mentions[i].Entity.Kind
                && ListSeparator.IsMatch(sentence[mentions[j].End..mentions[j + 1].Start]))
            {
                j++;
            }

            var group = mentions.Skip(i).Take(j - i + 1).ToList();
            var windowStart = mentions[j].End;
            var windowEnd = j + 1 < mentions.Count ? mentions[j + 1].Start : sentence.Length;
            var semicolon = sentence.IndexOf(';', windowStart);
            if (semicolon >= 0 && semicolon < windowEnd) windowEnd = semicolon;
            var prefix = sentence[(i == 0 ? 0 : mentions[i - 1].End)..mentions[i].Start];
            if (UnknownBefore.IsMatch(prefix) || UnknownAfter.IsMatch(sentence[windowStart..windowEnd]))
            {
                i = j + 1;
                continue;
            }

            // "…saw the largest inflows at US$5bn, followed by Switzerland and Germany at…": same direction.
            var inherited = FollowedBy.IsMatch(prefix) ? flows.LastOrDefault(f => f.End <= mentions[i].Start).Sign : 0;
            foreach (var pair in group.Count == 1
                ? Single(sentence, group[0], windowStart, windowEnd, amounts, flows, inherited)
                : List(sentence, group, windowStart, windowEnd, amounts, flows, inherited))
            {
                yield return pair;
            }

            i = j + 1;
        }
    }

    private static IEnumerable<(Entity, long)> Single(string sentence, Mention mention, int start, int end, List<Amount> amounts, List<Flow> flows, int inherited)
    {
        var window = sentence[start..end];
        if (Respectively.IsMatch(window)) yield break;
        var amount = amounts.FirstOrDefault(a => a.Start >= start && a.End <= end);
        if (amount.End == 0 || amount.Start - start > MaxDistance) yield break;
        var sign = SignFor(amount, flows, start, end);
        if (sign == 0) sign = inherited;
        if (sign == 0 || IsCumulative(sentence, start, amount)) yield break;
        yield return (mention.Entity, sign * amount.Usd);
    }

    private static IEnumerable<(Entity, long)> List(string sentence, List<Mention> group, int start, int end, List<Amount> amounts, List<Flow> flows, int inherited)
    {
        var window = sentence[start..end];
        var respectively = Respectively.Match(window);
        if (!respectively.Success) yield break;
        var stop = start + respectively.Index;
        var listed = amounts.Where(a => a.Start >= start && a.End <= stop).ToList();
        if (listed.Count != group.Count || listed[0].Start - start > MaxDistance) yield break;
        var listFlows = flows.Where(f => f.Start >= start && f.End <= stop).ToList();
        if (listFlows.Count == 0 && inherited != 0) listFlows = [new Flow(inherited, start, start)];
        if (listFlows.Count == 0 || IsCumulative(sentence, start, listed[^1])) yield break;

        // "saw inflows and outflows of US$x and US$y respectively" pairs the words too.
        var paired = listFlows.Count == group.Count && listFlows.All(f => f.End <= listed[0].Start);
        if (!paired && listFlows.Select(f => f.Sign).Distinct().Count() > 1) yield break;
        for (var k = 0; k < group.Count; k++)
        {
            yield return (group[k].Entity, (paired ? listFlows[k].Sign : listFlows[0].Sign) * listed[k].Usd);
        }
    }

    /// <summary>The last flow word before the figure in the window, else one right after it ("US$1.9bn of outflows").</summary>
    private static int SignFor(Amount amount, List<Flow> flows, int start, int end)
    {
        var before = flows.LastOrDefault(f => f.Start >= start && f.End <= amount.Start);
        if (before.End != 0) return before.Sign;
        var after = flows.FirstOrDefault(f => f.Start >= amount.End && f.End <= end && f.Start - amount.End <= 30);
        return after.End != 0 ? after.Sign : 0;
    }

    private static bool IsCumulative(string sentence, int start, Amount amount)
    {
        if (CumulativeBefore.IsMatch(sentence[start..amount.Start])) return true;
        var tailEnd = sentence.IndexOfAny([',', ';', '.', '('], amount.End);
        var tail = sentence[amount.End..(tailEnd < 0 ? sentence.Length : tailEnd)];
        return CumulativeAfter.IsMatch(tail);
    }

    /// <summary>"Net outflows totalled US$x last week" with no asset or country in front of the figure.</summary>
    private static long? FallbackTotal(string sentence)
    {
        if (!NetOrTotal.IsMatch(sentence)) return null;
        var amount = AmountPattern.Match(sentence);
        if (!amount.Success) return null;
        var head = sentence[..amount.Index];
        if (Mentions(head).Any(m => m.Entity.Kind != Kind.Total)) return null;
        var a = new Amount(ToUsd(amount), amount.Index, amount.Index + amount.Length);
        var flows = FlowPattern.Matches(sentence).Select(m => new Flow(m.Groups["dir"].Value.Equals("in", StringComparison.OrdinalIgnoreCase) ? 1 : -1, m.Index, m.Index + m.Length)).ToList();
        var sign = SignFor(a, flows, 0, sentence.Length);
        if (sign == 0 || IsCumulative(sentence, 0, a)) return null;
        return sign * a.Usd;
    }

    /// <summary>"Total assets under management (AuM) fell to US$x" / "bringing total AuM to US$x".</summary>
    private static long? Aum(string sentence)
    {
        var k = AumPattern.Match(sentence);
        if (!k.Success || sentence.IndexOf("total", StringComparison.OrdinalIgnoreCase) < 0) return null;

        // "Bitcoin AuM" / "Ethereum assets under management" are per-asset, not the total.
        var before = sentence[Math.Max(0, k.Index - 30)..k.Index];
        if (Mentions(before).Any(m => m.Entity.Kind == Kind.Asset)) return null;
        var candidates = AmountPattern.Matches(sentence, k.Index + k.Length).Where(m => m.Index - (k.Index + k.Length) <= MaxDistance).ToList();
        if (candidates.Count == 0) return null;

        // "fell from US$x to US$y": the level now is the figure after "to".
        var chosen = candidates[0];
        var between = sentence[(k.Index + k.Length)..chosen.Index];
        if (between.Contains("from", StringComparison.OrdinalIgnoreCase) && candidates.Count > 1) chosen = candidates[1];
        return ToUsd(chosen);
    }

    private static List<Mention> Mentions(string sentence)
    {
        var all = new List<Mention>();
        foreach (var entity in Entities)
        {
            foreach (Match m in entity.Pattern.Matches(sentence))
            {
                all.Add(new Mention(entity, m.Index, m.Index + m.Length));
            }
        }

        var result = new List<Mention>();
        foreach (var m in all.OrderBy(m => m.Start).ThenByDescending(m => m.End - m.Start))
        {
            if (result.Count > 0 && m.Start < result[^1].End) continue;
            if (m.Entity.Kind == Kind.Total && result.Count > 0 && result[^1].Entity.Kind != Kind.Total
                && QualifierGap.IsMatch(sentence[result[^1].End..m.Start]))
            {
                // "US digital asset funds saw outflows of…" is the US figure, not the global one.
                result[^1] = result[^1] with { End = m.End };
                continue;
            }

            result.Add(m);
        }

        return result;
    }

    private static long ToUsd(Match m)
    {
        var number = decimal.Parse(m.Groups["num"].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture);
        var multiplier = m.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "tn" or "trillion" => 1_000_000_000_000m,
            "bn" or "b" or "billion" => 1_000_000_000m,
            "m" or "mn" or "million" => 1_000_000m,
            "k" or "thousand" => 1_000m,
            _ => 1m,
        };
        return checked((long)Math.Round(number * multiplier, MidpointRounding.AwayFromZero));
    }

    [GeneratedRegex(@"\bU\.S\.(?:A\.)?", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex UsDots();

    [GeneratedRegex(@"\bUS\s+\$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex UsDollarSpace();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();
}
