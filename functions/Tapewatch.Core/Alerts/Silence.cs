using System.Text.RegularExpressions;

namespace Tapewatch.Core.Alerts;

public enum MatchOperator
{
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

/// <summary>
/// One label matcher, as in Alertmanager: <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c>, <c>name!~regex</c>.
/// Values compare case-insensitively; regexes are anchored. A missing label matches the empty string.
/// </summary>
public sealed partial record SilenceMatcher(string Name, MatchOperator Operator, string Value)
{
    /// <summary>Labels an alert notice carries (see <see cref="AlertMessage.Labels"/>).</summary>
    public static IReadOnlyList<string> KnownLabels { get; } = ["kind", "scenario", "dataset", "level", "event", "regime"];

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.TryGetValue(Name, out var v) ? v : "";
        return Operator switch
        {
            MatchOperator.Equal => string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase),
            MatchOperator.NotEqual => !string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase),
            MatchOperator.Regex => IsMatch(actual),
            MatchOperator.NotRegex => !IsMatch(actual),
            _ => false,
        };
    }

    public override string ToString() => Name + Operator switch
    {
        MatchOperator.Equal => "=",
        MatchOperator.NotEqual => "!=",
        MatchOperator.Regex => "=~",
        _ => "!~",
    } + Value;

    /// <summary>Parses "name=value" etc.; returns an error text naming what is wrong.</summary>
    public static bool TryParse(string? text, out SilenceMatcher? matcher, out string? error)
    {
        matcher = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 200)
        {
            error = "a matcher must be 'label=value', 'label!=value', 'label=~regex' or 'label!~regex' (at most 200 characters)";
            return false;
        }

        var m = MatcherSyntax().Match(text.Trim());
        if (!m.Success)
        {
            error = $"'{text}' is not 'label=value', 'label!=value', 'label=~regex' or 'label!~regex'";
            return false;
        }

        var name = m.Groups["name"].Value.ToLowerInvariant();
        if (!KnownLabels.Contains(name))
        {
            error = $"unknown label '{name}' (labels: {string.Join(", ", KnownLabels)})";
            return false;
        }

        var op = m.Groups["op"].Value switch
        {
            "=" => MatchOperator.Equal,
            "!=" => MatchOperator.NotEqual,
            "=~" => MatchOperator.Regex,
            _ => MatchOperator.NotRegex,
        };
        var value = m.Groups["value"].Value.Trim().Trim('"');
        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            try
            {
                _ = new Regex(value, RegexOptions.None, RegexTimeout);
            }
            catch (ArgumentException)
            {
                error = $"'{value}' is not a valid regular expression";
                return false;
            }
        }

        matcher = new SilenceMatcher(name, op, value);
        return true;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_]+)\s*(?<op>=~|!~|!=|=)\s*(?<value>.*)$", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex MatcherSyntax();

    // The silence's own pattern is the user's, known only at run time: it cannot be source-generated.
    private bool IsMatch(string actual)
    {
        try
        {
            return Regex.IsMatch(actual, "^(?:" + Value + ")$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

/// <summary>A silence: notices whose labels match every matcher are withheld from <see cref="StartsUtc"/> until <see cref="EndsUtc"/>.</summary>
public sealed record Silence
{
    public required string Id { get; init; }

    public required IReadOnlyList<SilenceMatcher> Matchers { get; init; }

    public required DateTimeOffset StartsUtc { get; init; }

    public required DateTimeOffset EndsUtc { get; init; }

    public required string Comment { get; init; }

    public string? CreatedBy { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }

    public bool IsActive(DateTimeOffset now) => StartsUtc <= now && now < EndsUtc;

    public string StatusAt(DateTimeOffset now) => now < StartsUtc ? "pending" : now < EndsUtc ? "active" : "expired";

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.Count > 0 && Matchers.All(m => m.Matches(labels));
}
