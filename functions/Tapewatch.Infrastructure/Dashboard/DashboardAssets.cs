using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>One static file embedded in the assembly (the page's script and stylesheet, vendored libraries, their licences).</summary>
public sealed record DashboardAsset(string Name, string ContentType, byte[] Content, string Version)
{
    /// <summary>Strong ETag: a hash of the content.</summary>
    public string ETag => "\"" + Version + "\"";
}

/// <summary>
/// The dashboard's static files, embedded from <c>Dashboard/wwwroot/**</c> (logical name
/// <c>dashboard/&lt;file&gt;</c>). Only these names are ever served: the name is a dictionary key, never a path.
/// </summary>
public static class DashboardAssets
{
    public const string ResourcePrefix = "dashboard/";

    public const string ChartJs = "chart.umd.min.js";
    public const string AnnotationPlugin = "chartjs-plugin-annotation.min.js";
    public const string PageScript = "dashboard.js";
    public const string Stylesheet = "dashboard.css";
    public const string ChartJsLicense = "chart.js.LICENSE.md";
    public const string AnnotationLicense = "chartjs-plugin-annotation.LICENSE.md";

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> LoadedAssets = new(Load);

    public static IReadOnlyDictionary<string, DashboardAsset> All => LoadedAssets.Value;

    public static DashboardAsset? Find(string? name) =>
        name is not null && LoadedAssets.Value.TryGetValue(name, out var asset) ? asset : null;

    /// <summary>The asset's URL below the dashboard route, with its content hash for cache busting.</summary>
    public static string Url(string basePath, string name) => basePath + name + "?v=" + Find(name)!.Version;

    public static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".md" or ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var result = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var version = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
            result[name] = new DashboardAsset(name, ContentTypeOf(name), bytes, version);
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
