using System.Globalization;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Fuzz;

/// <summary>Runs one input through a target and finds the fields of an input for the edge sweep.</summary>
public static class FuzzHarness
{
    /// <summary>Runs one input: its verdict, or why it failed (an unexpected exception, or a value read from the wrong field).</summary>
    public static (FuzzVerdict? Verdict, string? Failure) Run(FuzzTarget target, string input)
    {
        FuzzVerdict verdict;
        try
        {
            verdict = target.Check(input);
        }
        catch (Exception ex)
        {
            return (null, $"unhandled {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
        }

        return verdict.Violations.Count == 0
            ? (verdict, null)
            : (verdict, "a value that its field does not bear out:\n  " + string.Join("\n  ", verdict.Violations.Take(5)));
    }

    public static IReadOnlyList<NumericField> FieldsOf(InputShape shape, string text) => shape switch
    {
        InputShape.Json => NumericFields.InJson(text),
        InputShape.Csv => NumericFields.InCsv(text),
        InputShape.HtmlTable => NumericFields.InHtmlTable(text),
        _ => NumericFields.InProse(text),
    };

    public static string Show(string input) => input.Length > 3000 ? input[..3000] + string.Create(CultureInfo.InvariantCulture, $"… ({input.Length} chars)") : input;
}
