using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// "error: configuration: …" with each failure once when <paramref name="ex"/> is options failing validation: one
    /// <see cref="OptionsValidationException"/>, or several gathered by the start-up validation; null for anything else.
    /// </summary>
    public static string? InvalidOptionsMessage(Exception ex)
    {
        IEnumerable<string>? failures = ex switch
        {
            OptionsValidationException o => o.Failures,
            AggregateException a when a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => i is OptionsValidationException) =>
                a.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures),
            _ => null,
        };
        return failures is null ? null : $"error: configuration: {string.Join("; ", failures.Distinct(StringComparer.Ordinal))}";
    }
}
