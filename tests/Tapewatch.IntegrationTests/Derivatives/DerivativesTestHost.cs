using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tapewatch.Infrastructure;

namespace Tapewatch.IntegrationTests.Derivatives;

/// <summary>A fixed "now" with real timers (the resilience pipeline's delays must elapse).</summary>
internal sealed class FixedNowTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// A loopback HTTP server standing in for the venues: /{venue}/{path} serves the fixture named like a recording,
/// or misbehaves as told (451, 500, malformed JSON, one 429 with Retry-After).
/// </summary>
internal sealed class FakeVenueServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Behaviour { get; } = new(StringComparer.Ordinal);

    public string? LastUserAgent { get; private set; }

    private FakeVenueServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeVenueServer> StartAsync(string fixtures, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeVenueServer(app);
        app.Map("/{venue}/{**rest}", (string venue, string rest, HttpContext context) => server.Handle(venue, rest, fixtures, context));
        await app.StartAsync(cancellationToken);
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    private async Task Handle(string venue, string rest, string fixtures, HttpContext context)
    {
        var n = Requests.AddOrUpdate(venue, 1, (_, c) => c + 1);
        LastUserAgent = context.Request.Headers.UserAgent.ToString();
        switch (Behaviour.GetValueOrDefault(venue, "ok"))
        {
            case "451":
                context.Response.StatusCode = 451;
                await context.Response.WriteAsync("""{"code":0,"msg":"Service unavailable from a restricted location"}""");
                return;
            case "500":
                context.Response.StatusCode = 500;
                return;
            case "garbage":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"retCode":0,"result":{"list":[{"fundingRate":""");
                return;
            case "429-once" when n == 1:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
        }

        var stem = venue + "_" + (rest.EndsWith(".json", StringComparison.Ordinal) ? rest[..^5] : rest).Replace('/', '_');
        var file = Directory.GetFiles(fixtures, stem + "*.json").Order(StringComparer.Ordinal).FirstOrDefault();
        if (file is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.SendFileAsync(file);
    }

    /// <summary>Settings pointing every source at this server, with quick retries.</summary>
    public Dictionary<string, string?> Settings(string? storage = null) => new()
    {
        ["Tapewatch:Storage:ConnectionString"] = storage ?? "UseDevelopmentStorage=true",
        ["Tapewatch:Derivatives:Binance:UsdMarginedBaseUrl"] = new Uri(BaseUrl, "binance").ToString(),
        ["Tapewatch:Derivatives:Binance:CoinMarginedBaseUrl"] = new Uri(BaseUrl, "binance").ToString(),
        ["Tapewatch:Derivatives:Okx:BaseUrl"] = new Uri(BaseUrl, "okx").ToString(),
        ["Tapewatch:Derivatives:Bybit:BaseUrl"] = new Uri(BaseUrl, "bybit").ToString(),
        ["Tapewatch:Derivatives:Deribit:BaseUrl"] = new Uri(BaseUrl, "deribit").ToString(),
        ["Tapewatch:Derivatives:Kraken:BaseUrl"] = new Uri(BaseUrl, "kraken").ToString(),
        ["Tapewatch:Derivatives:Cftc:BaseUrl"] = new Uri(BaseUrl, "cftc").ToString(),
        ["Tapewatch:Derivatives:BtcClose:BaseUrl"] = new Uri(BaseUrl, "coinbase").ToString(),
        ["Tapewatch:Derivatives:Http:MaxRetries"] = "2",
        ["Tapewatch:Derivatives:Http:RetryBaseDelayMilliseconds"] = "1",
        ["Tapewatch:Derivatives:Http:AttemptTimeoutSeconds"] = "5",
        ["Tapewatch:Derivatives:Http:TotalTimeoutSeconds"] = "20",
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

internal static class DerivativesServices
{
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Derivatives");

    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings, TimeProvider time)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTapewatchApp(configuration);
        return services.BuildServiceProvider();
    }
}
