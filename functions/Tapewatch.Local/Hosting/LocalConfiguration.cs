using Microsoft.Extensions.Configuration;

namespace Tapewatch.Local.Hosting;

/// <summary>Configuration precedence: appsettings.json (app, then current directory) &lt; environment (Tapewatch__…) &lt; flags.</summary>
internal static class LocalConfiguration
{
    public static IConfigurationRoot Build(IReadOnlyDictionary<string, string?>? flags = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(flags?.Where(kv => kv.Value is not null) ?? [])
            .Build();
}
