using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tapewatch.Infrastructure.Hosting;

/// <summary>
/// Keeps function keys given as <c>?code=…</c> out of the logs. ASP.NET Core writes every request's URL with its query
/// string at Information ("Request starting HTTP/1.1 GET http://…/api/regime?code=KEY", category
/// <see cref="HostingDiagnostics"/>), and Kestrel quotes the raw request line of a malformed request when its bad-request
/// category is enabled. Both are capped at Warning for every logging provider, whatever the logging configuration says (a
/// provider-specific <c>Default</c> would otherwise win over a plain category rule), in the local host and the Function worker.
/// </summary>
public static class KeySafeLogging
{
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public const string KestrelBadRequests = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    public static IReadOnlyList<string> CappedCategories { get; } = [HostingDiagnostics, KestrelBadRequests];

    public static IServiceCollection AddKeySafeLogging(this IServiceCollection services)
    {
        // After every Configure (appsettings, environment, provider defaults): one rule per provider named by any rule, and one for
        // all providers. The most specific category wins per provider, and among equals the last rule added.
        services.PostConfigure<LoggerFilterOptions>(options =>
        {
            var providers = options.Rules.Select(rule => rule.ProviderName).Append(null).Distinct(StringComparer.Ordinal).ToList();
            foreach (var provider in providers)
            {
                foreach (var category in CappedCategories)
                {
                    options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, filter: null));
                }
            }
        });
        return services;
    }
}
