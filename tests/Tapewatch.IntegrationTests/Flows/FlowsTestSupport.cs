using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Core;
using Tapewatch.Core.Hosting;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Flows;

/// <summary>A private Azurite for the flows tests (their table names are the app's fixed ones).</summary>
public sealed class FlowsStorageFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private string? _reason;

    public string ConnectionString
    {
        get
        {
            if (_azurite is null) Assert.Skip("Azurite is not available: " + _reason);
            return _azurite.ConnectionString;
        }
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            _azurite = await AzuriteProcess.StartAsync(searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60));
        }
        catch (AzuriteUnavailableException ex)
        {
            if (TestPaths.IsCi) throw new InvalidOperationException("CI=true but Azurite could not start: " + ex.Message, ex);
            _reason = ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FlowsStorageCollection : ICollectionFixture<FlowsStorageFixture>
{
    public const string Name = "flows-storage";
}

/// <summary>A loopback HTTP server (Kestrel on 127.0.0.1, free port) answering with a handler; counts requests.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _count);

    public ConcurrentQueue<(string Method, string Path, string? UserAgent, string? ApiKey, string Body)> Received { get; } = new();

    private readonly ConcurrentDictionary<int, long> _arrivals = new();

    /// <summary>Time between the arrivals of two requests (1-based numbers), measured at this server: a client's wait, without any set-up time.</summary>
    public TimeSpan Between(int first, int second) => System.Diagnostics.Stopwatch.GetElapsedTime(_arrivals[first], _arrivals[second]);

    /// <summary>The handler gets the context and the 1-based request number.</summary>
    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(async context =>
        {
            var n = Interlocked.Increment(ref server._count);
            server._arrivals[n] = System.Diagnostics.Stopwatch.GetTimestamp();
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            server.Received.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.UserAgent.ToString(), context.Request.Headers["x-soso-api-key"].FirstOrDefault(), body));
            await handler(context, n);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public static Task Html(HttpContext context, string html, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class FlowsServices
{
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "Tapewatch.Tests", "Fixtures", "Flows", name));

    /// <summary>The app's services on the given storage, sources pointed at a loopback server, fast retries.</summary>
    public static ServiceProvider Build(string? connectionString, Uri? sourceUrl, TimeProvider? time = null, Dictionary<string, string?>? extra = null, string? queueName = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = connectionString ?? "UseDevelopmentStorage=true",
            ["EvaluationQueueName"] = queueName ?? "eval" + Guid.NewGuid().ToString("N")[..10],
            ["Tapewatch:Flows:Farside:BaseUrl"] = sourceUrl?.ToString() ?? "http://127.0.0.1:1/",
            ["Tapewatch:Flows:SoSoValue:BaseUrl"] = sourceUrl?.ToString() ?? "http://127.0.0.1:1/",
            ["Tapewatch:Flows:Http:RetryBaseDelay"] = "00:00:00.010",
            ["Tapewatch:Flows:Http:MaxRetryAfter"] = "00:00:00.200",
            ["Tapewatch:Flows:Http:AttemptTimeout"] = "00:00:05",
            ["Tapewatch:Flows:Http:TotalTimeout"] = "00:00:20",
        };
        foreach (var kv in extra ?? []) settings[kv.Key] = kv.Value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        if (time is not null) services.AddSingleton(time);
        services.AddTapewatchApp(configuration);
        return services.BuildServiceProvider();
    }

    public static FakeTimeProvider At(int year, int month, int day, int hour, int minute = 0) => new(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero));
}
