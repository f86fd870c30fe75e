namespace Tapewatch.Tests.Weekly;

internal static class WeeklyFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Weekly", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    public static Stream Open(string name) => File.OpenRead(Path(name));
}
