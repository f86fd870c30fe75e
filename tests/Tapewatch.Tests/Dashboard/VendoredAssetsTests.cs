using System.Text;
using System.Text.Json;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Dashboard;

public sealed class VendoredAssetsTests
{
    private static string VendorDir => Path.Combine(TestPaths.RepoRoot, "functions", "Tapewatch.Infrastructure", "Dashboard", "wwwroot", "vendor");

    private static string Text(string name) => Encoding.UTF8.GetString(DashboardAssets.Find(name)!.Content);

    [Fact]
    public void Vendored_files_match_the_versions_pinned_in_package_json()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "package.json")));
        var dev = doc.RootElement.GetProperty("devDependencies");
        var chartJs = dev.GetProperty("chart.js").GetString()!;
        var annotation = dev.GetProperty("chartjs-plugin-annotation").GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+$", chartJs); // exact pins: the vendored copy must be reproducible
        Assert.Matches(@"^\d+\.\d+\.\d+$", annotation);

        Assert.StartsWith($"/*!\n * Chart.js v{chartJs}\n", Text(DashboardAssets.ChartJs), StringComparison.Ordinal);
        Assert.Contains($"chartjs-plugin-annotation v{annotation}\n", Text(DashboardAssets.AnnotationPlugin)[..200], StringComparison.Ordinal);
        var readme = File.ReadAllText(Path.Combine(VendorDir, "README.md"));
        Assert.Contains($"| {chartJs} |", readme, StringComparison.Ordinal);
        Assert.Contains($"| {annotation} |", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_assets_are_the_committed_files_with_their_licences()
    {
        Assert.Equal(
            new[] { DashboardAssets.AnnotationLicense, DashboardAssets.AnnotationPlugin, DashboardAssets.ChartJsLicense, DashboardAssets.ChartJs, DashboardAssets.Stylesheet, DashboardAssets.PageScript }.Order(StringComparer.Ordinal),
            DashboardAssets.All.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(VendorDir, "chart.umd.min.js")), DashboardAssets.Find(DashboardAssets.ChartJs)!.Content);
        Assert.Contains("MIT License", Text(DashboardAssets.ChartJsLicense), StringComparison.Ordinal);
        Assert.Contains("MIT License", Text(DashboardAssets.AnnotationLicense), StringComparison.Ordinal);
        Assert.Equal(DashboardAssets.All.Count, DashboardAssets.All.Values.Select(a => a.Version).Distinct().Count());
    }

    [Fact]
    public void Page_script_never_writes_markup_or_evaluates_strings()
    {
        var js = Text(DashboardAssets.PageScript);
        foreach (var banned in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute('style'", "http://", "https://" })
        {
            Assert.DoesNotContain(banned, js, StringComparison.Ordinal);
        }

        Assert.Contains("textContent", js, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", Text(DashboardAssets.Stylesheet), StringComparison.Ordinal);
        Assert.DoesNotContain("url(http", Text(DashboardAssets.Stylesheet), StringComparison.Ordinal);
    }
}
