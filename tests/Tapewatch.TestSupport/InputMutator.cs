using System.Text;
using System.Text.RegularExpressions;

namespace Tapewatch.TestSupport;

/// <summary>
/// A deterministic (seeded <see cref="Random"/>) mutator for fuzzing text inputs: byte-level edits (delete, duplicate,
/// swap, truncate, insert junk) and structure-aware ones (replace a number with an edge value, a token with another,
/// wrap a number in parentheses, break tags and quotes). The same seed always gives the same sequence.
/// </summary>
public sealed partial class InputMutator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Numbers that break parsers: out of range, signs, separators, exponents, other digits.</summary>
    public static readonly string[] EdgeNumbers =
    [
        "0", "-0", "+7", "-1", ".5", "5.", "1e30", "1E-30", "1e309", "-1e309", "NaN", "Infinity", "79228162514264337593543950336",
        "-79228162514264337593543950336", "9223372036854775808", "99999999999999999999.99", "0.000000000000000000000000001",
        "1,2,3.4", "1,,205.2", "(-5.0)", "-(5.0)", "(5.0", "5.0)", "((5))", "12.3.4", "١٢٣", "½", "1 000", "0x1F", "--3", "+-3",
        "1.7976931348623157E+308", "4.9E-324", "2147483648", "-2147483649", "",
    ];

    /// <summary>Tokens that appear in our inputs, swapped in anywhere.</summary>
    public static readonly string[] Tokens =
    [
        "<td>", "</td>", "<tr>", "</tr>", "<th>", "</th>", "<table class=\"etf\">", "</table>", "<thead>", "</thead>", "<tbody>",
        "colspan=\"9999999\"", "rowspan=\"0\"", "<span class=\"redFont\">", "&nbsp;", "&amp;", "&#49;", "&#x2D;", "<!--", "-->",
        "<script>", "Total", "Average", "IBIT", "FBTC", "-", "–", "—", "(", ")", ",", ".", "\"", "'", "\n", "\r\n", "\t", "\u00A0",
        "\u200B", "\uFEFF", "\0", "{", "}", "[", "]", ":", "null", "true", "false", "\"\"", "[]", "{}", "\"code\":0", "\"data\":",
        "\"list\":", "\"result\":", "date", "2026-02-30", "31 Feb 2026", "9999-12-31", "0001-01-01", "Just a moment",
        "\\u0000", "\\", "\\\"", "𝟙", "é", "\uD800",
    ];

    public Random Random => _random;

    /// <summary>Applies 1–4 mutations to <paramref name="input"/>.</summary>
    public string Mutate(string input)
    {
        var s = input;
        var count = 1 + _random.Next(4);
        for (var i = 0; i < count; i++) s = MutateOnce(s);
        return s;
    }

    public string MutateOnce(string s)
    {
        if (s.Length == 0) return Pick(Tokens);
        switch (_random.Next(12))
        {
            case 0: // delete a span
            {
                var (a, n) = Span(s, 64);
                return s.Remove(a, n);
            }

            case 1: // duplicate a span
            {
                var (a, n) = Span(s, 256);
                return s.Insert(a, s.Substring(a, n));
            }

            case 2: // truncate
                return s[.._random.Next(s.Length)];
            case 3: // insert a token
                return s.Insert(_random.Next(s.Length + 1), Pick(Tokens));
            case 4: // insert random characters
            {
                var sb = new StringBuilder();
                for (var i = _random.Next(1, 12); i > 0; i--) sb.Append((char)_random.Next(1, 0x2FF));
                return s.Insert(_random.Next(s.Length + 1), sb.ToString());
            }

            case 5: // swap two spans
            {
                var (a, n) = Span(s, 64);
                var (b, m) = Span(s, 64);
                if (a > b) (a, n, b, m) = (b, m, a, n);
                if (a + n > b) return s;
                return s[..a] + s.Substring(b, m) + s.Substring(a + n, b - a - n) + s.Substring(a, n) + s[(b + m)..];
            }

            case 6 or 7 or 8: // replace a number with an edge value
                return ReplaceMatch(s, NumberPattern(), _ => Pick(EdgeNumbers));
            case 9: // wrap a number in parentheses, or negate it
                return ReplaceMatch(s, NumberPattern(), m => _random.Next(2) == 0 ? "(" + m + ")" : "-" + m);
            case 10: // change one digit or character
            {
                var i = _random.Next(s.Length);
                var c = char.IsDigit(s[i]) ? (char)('0' + _random.Next(10)) : Pick(Tokens) is { Length: > 0 } t ? t[0] : 'x';
                return string.Concat(s.AsSpan(0, i), c.ToString(), s.AsSpan(i + 1));
            }

            default: // replace a known token by another
            {
                var token = Pick(Tokens);
                var at = token.Length == 0 ? -1 : s.IndexOf(token, _random.Next(s.Length), StringComparison.Ordinal);
                return at < 0 ? s.Insert(_random.Next(s.Length + 1), token) : string.Concat(s.AsSpan(0, at), Pick(Tokens), s.AsSpan(at + token.Length));
            }
        }
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private (int Start, int Length) Span(string s, int max)
    {
        var start = _random.Next(s.Length);
        return (start, _random.Next(Math.Min(max, s.Length - start) + 1));
    }

    private string ReplaceMatch(string s, Regex pattern, Func<string, string> replace)
    {
        var matches = pattern.Matches(s);
        if (matches.Count == 0) return s;
        var m = matches[_random.Next(matches.Count)];
        return string.Concat(s.AsSpan(0, m.Index), replace(m.Value), s.AsSpan(m.Index + m.Length));
    }

    [GeneratedRegex(@"-?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();
}
