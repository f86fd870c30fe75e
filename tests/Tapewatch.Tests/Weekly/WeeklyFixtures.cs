namespace Tapewatch.Tests.Weekly;

internal static class WeeklyFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Weekly", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    public static Stream Open(string name) => File.OpenRead(Path(name));

    /// <summary>The figures of report prose that must parse, without an error.</summary>
    public static Tapewatch.Core.Weekly.WeeklyReportFigures ParsedProse(string text)
    {
        var figures = Tapewatch.Core.Weekly.WeeklyReportParser.Parse(text, out var error);
        Assert.True(figures is not null, error);
        Assert.Null(error);
        return figures;
    }
}
