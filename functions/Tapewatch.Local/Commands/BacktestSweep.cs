using System.Globalization;
using System.Reflection;
using Tapewatch.Core.Rules;

namespace Tapewatch.Local.Commands;

/// <summary>
/// <c>--sweep Section.Key=FROM..TO:STEP</c>, e.g. <c>Rebuild.MinDailyFlowUsdM=150..300:50</c>: a numeric rule setting
/// (a property of a section of <see cref="RulesOptions"/>) and the values to replay it with.
/// </summary>
internal sealed record SweepSpec(string Section, string Key, IReadOnlyList<decimal> Values)
{
    public const int MaxValues = 50;

    public string Setting => $"{Section}.{Key}";

    public string ConfigurationKey => $"{RulesOptions.SectionName}:{Section}:{Key}";

    /// <summary>The scenario the setting belongs to, if its section is one (Rebuild, Caution, Snapback).</summary>
    public ScenarioKind? Scenario => Enum.TryParse<ScenarioKind>(Section, ignoreCase: false, out var kind) ? kind : null;

    public static (SweepSpec? Spec, string? Problem) Parse(string text)
    {
        const string shape = "--sweep must look like Section.Key=FROM..TO:STEP, e.g. Rebuild.MinDailyFlowUsdM=150..300:50";
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) return (null, shape);
        var name = text[..eq].Trim().Split('.');
        if (name.Length != 2) return (null, shape);

        var section = typeof(RulesOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.Name.Equals(name[0], StringComparison.OrdinalIgnoreCase) && p.PropertyType.IsClass && p.PropertyType != typeof(string));
        if (section is null)
        {
            return (null, $"--sweep: no rule section '{name[0]}' (one of {string.Join(", ", typeof(RulesOptions).GetProperties().Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string)).Select(p => p.Name))})");
        }

        var key = section.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.Name.Equals(name[1], StringComparison.OrdinalIgnoreCase) && (p.PropertyType == typeof(decimal) || p.PropertyType == typeof(int)));
        if (key is null)
        {
            return (null, $"--sweep: no numeric setting '{name[1]}' in {section.Name} (one of {string.Join(", ", section.PropertyType.GetProperties().Where(p => p.PropertyType == typeof(decimal) || p.PropertyType == typeof(int)).Select(p => p.Name))})");
        }

        var range = text[(eq + 1)..].Trim();
        var dots = range.IndexOf("..", StringComparison.Ordinal);
        var colon = range.LastIndexOf(':');
        if (dots <= 0 || colon < dots
            || !decimal.TryParse(range[..dots], NumberStyles.Number, CultureInfo.InvariantCulture, out var from)
            || !decimal.TryParse(range[(dots + 2)..colon], NumberStyles.Number, CultureInfo.InvariantCulture, out var to)
            || !decimal.TryParse(range[(colon + 1)..], NumberStyles.Number, CultureInfo.InvariantCulture, out var step))
        {
            return (null, shape);
        }

        if (step <= 0 || to < from) return (null, "--sweep: the range needs FROM ≤ TO and a positive STEP");
        if ((to - from) / step >= MaxValues) return (null, $"--sweep: at most {MaxValues} values (widen the step)");
        var values = new List<decimal>();
        for (var v = from; v <= to; v += step) values.Add(v);
        if (key.PropertyType == typeof(int) && values.Any(v => v != decimal.Truncate(v))) return (null, $"--sweep: {section.Name}.{key.Name} takes whole numbers");
        return (new SweepSpec(section.Name, key.Name, values), null);
    }

    public static string Format(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
