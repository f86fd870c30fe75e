using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Api;
using Tapewatch.IntegrationTests.Derivatives;
using Tapewatch.IntegrationTests.Faults;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Fuzz;

/// <summary>
/// Random query strings, route values and bodies to EVERY registered HTTP endpoint (enumerated from the container, so a new
/// endpoint is fuzzed without touching this file), handlers run on Azurite-backed services with seeded data: never an
/// exception, never a 500, every non-2xx answer is application/problem+json. Deterministic in CI: a fixed number of
/// requests per endpoint from a seed derived from its route, whatever the machine's speed. Exploration on demand:
/// <c>FUZZ_SECONDS=600 ./test.sh --filter EndpointFuzz</c> gives each endpoint its share of the seconds from a fresh seed
/// (printed; <c>FUZZ_SEED</c> replays it).
/// </summary>
public sealed class EndpointFuzzTests(AzuriteFixture azurite)
{
    private const int RequestsPerEndpoint = 200;
    private static readonly DateTimeOffset Now = new(2025, 11, 12, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Parameters an endpoint reads besides from/to (one line per endpoint that has others).</summary>
    private static readonly Dictionary<string, string[]> KnownParameters = new(StringComparer.Ordinal)
    {
        ["flows/backfill"] = ["from", "to", "source", "format"],
        [ApiRoutes.Dashboard.Route] = ["days"],
        ["silences"] = ["status"],
    };

    private static readonly string[] Values =
    [
        "2025-11-03", "2025-11-11", "2025-11-12", "2025-01-01", "1999-12-31", "2030-01-01", "2025-13-01", "2025-02-30", "11/03/2025",
        "2025-11-03T00:00:00Z", "", " ", "0", "-1", "7", "90", "730", "731", "2147483648", "1e3", "farside", "sosovalue", "FARSIDE", "none",
        "csv", "html", "yaml", "null", "true", "[]", "%", "%FF", "%00", "../../etc/passwd", "<script>alert(1)</script>", "é", "𝟙", "\u0000",
        "dashboard.js", "chart.umd.min.js", "dashboard.css", "code",
    ];

    private static readonly string?[] ContentTypes =
    [
        null, "application/json", "application/json; charset=utf-8", "text/csv", "text/html", "text/plain", "application/xml", "garbage",
        "text/csv; charset=utf-16", "multipart/form-data; boundary=x", "application/json; charset=bogus", "application/csv", "application/xhtml+xml", "",
    ];

    [Fact]
    public async Task Every_endpoint_answers_random_requests_without_a_500_and_every_error_is_problem_json()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        await using var sp = FaultServices.Build(storage.Process, new FixedNowTimeProvider(Now), settings: new Dictionary<string, string?>
        {
            ["Tapewatch:Flows:Http:MaxRetries"] = "0", // the sources point at a closed port: fail fast
            ["Tapewatch:Flows:MaxUploadBytes"] = "65536",
        });
        await SeedAsync(sp, ct);

        var registrations = sp.GetServices<ApiEndpointRegistration>().ToList();
        Assert.Equal(Security.RouteTable.All.Count, registrations.Count);
        var exploration = Exploration.FromEnvironment(registrations.Count);
        var bodies = SeedBodies();
        var report = new StringBuilder();
        if (exploration is not null) report.AppendLine(exploration.Describe());
        var total = 0;
        foreach (var registration in registrations.OrderBy(r => r.Route.Route, StringComparer.Ordinal))
        {
            var route = registration.Route;
            var seed = route.Route.Aggregate(29, (h, c) => unchecked((h * 31) + c));
            if (exploration is not null) seed = unchecked((exploration.Seed * 397) ^ seed);
            var mutator = new InputMutator(seed);
            var random = mutator.Random;
            var names = KnownParameters.GetValueOrDefault(route.Route, ["from", "to"]);
            var statuses = new Dictionary<int, int>();
            var watch = Stopwatch.StartNew();
            var n = 0;
            for (; exploration is null ? n < RequestsPerEndpoint : watch.Elapsed < exploration.PerEndpoint; n++)
            {
                var (query, routeName, body, contentType, declaredLength) = Request(random, mutator, names, bodies);
                var describe = $"{route.Method} /api/{route.Route} query={query} route={routeName} contentType={contentType} body={(body is null ? "none" : body.Length + " bytes: " + Preview(body))} (seed {seed}, request {n}{exploration?.Replay})";
                int status;
                string type;
                try
                {
                    (status, type) = await InvokeAsync(sp, registration, query, routeName, body, contentType, declaredLength, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Assert.Fail($"unhandled {ex.GetType().Name}: {ex.Message}\n{describe}\n{ex.StackTrace}");
                    return;
                }

                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                Assert.True(status != 500, $"500 for {describe}");
                if (status >= 300) Assert.True(type.StartsWith(Problems.ContentType, StringComparison.Ordinal), $"{status} with content type '{type}' for {describe}");
            }

            total += n;
            report.Append(route.Method).Append(' ').Append(route.Route).Append(": ").Append(n).Append(" requests, ")
                .AppendJoin(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}×{kv.Value}")).AppendLine();
        }

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Console.WriteLine(report.ToString());
        if (exploration is null) Assert.Equal(RequestsPerEndpoint * registrations.Count, total);
    }

    /// <summary>FUZZ_SECONDS (and FUZZ_SEED to replay) turn the fixed run into an exploration with a fresh seed.</summary>
    private sealed record Exploration(int Seed, TimeSpan PerEndpoint)
    {
        public string Replay => $"; replay: FUZZ_SEED={Seed} FUZZ_SECONDS={Environment.GetEnvironmentVariable("FUZZ_SECONDS")}";

        public static Exploration? FromEnvironment(int endpoints)
        {
            var secondsText = Environment.GetEnvironmentVariable("FUZZ_SECONDS");
            if (string.IsNullOrWhiteSpace(secondsText)) return null;
            if (!double.TryParse(secondsText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw new InvalidOperationException($"FUZZ_SECONDS={secondsText} is not a positive number of seconds");
            }

            var seedText = Environment.GetEnvironmentVariable("FUZZ_SEED");
            var seed = string.IsNullOrWhiteSpace(seedText) ? Random.Shared.Next()
                : int.TryParse(seedText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s
                : throw new InvalidOperationException($"FUZZ_SEED={seedText} is not a whole number");
            return new Exploration(seed, TimeSpan.FromSeconds(seconds / endpoints));
        }

        public string Describe() => $"endpoint fuzz exploration: FUZZ_SEED={Seed}, {PerEndpoint.TotalSeconds:0.#} s per endpoint";
    }

    private static (QueryString Query, string? RouteName, byte[]? Body, string? ContentType, long? DeclaredLength) Request(Random random, InputMutator mutator, string[] names, IReadOnlyList<string> bodies)
    {
        QueryString query;
        if (random.Next(8) == 0)
        {
            // Raw, possibly broken, query text.
            query = new QueryString("?" + mutator.Mutate(string.Join('&', names.Select(n => n + "=" + random.GetItems(Values, 1)[0]))).Replace("#", "%23", StringComparison.Ordinal));
        }
        else
        {
            var pairs = new List<KeyValuePair<string, string?>>();
            for (var i = random.Next(5); i > 0; i--)
            {
                var name = random.Next(6) switch
                {
                    0 => mutator.Pick(["code", "FROM", "from[]", "", "x", "days ", "callback", "__proto__"]),
                    1 => mutator.Mutate(mutator.Pick(names)),
                    _ => mutator.Pick(names),
                };
                var value = random.Next(4) == 0 ? mutator.Mutate(mutator.Pick(Values)) : mutator.Pick(Values);
                pairs.Add(new(name, value));
                if (random.Next(10) == 0) pairs.Add(new(name, mutator.Pick(Values))); // repeated parameter
            }

            query = pairs.Count == 0 ? QueryString.Empty : QueryString.Create(pairs);
        }

        var routeName = random.Next(3) == 0 ? mutator.Mutate(mutator.Pick(DashboardAssets.All.Keys.ToList())) : mutator.Pick(DashboardAssets.All.Keys.ToList());
        byte[]? body = random.Next(5) switch
        {
            0 => null,
            1 => [],
            2 => random.Next(20) == 0 ? new byte[70_000] : RandomBytes(random, random.Next(1, 2048)),
            _ => Encoding.UTF8.GetBytes(mutator.Mutate(mutator.Pick(bodies))),
        };
        var contentType = mutator.Pick(ContentTypes);
        long? declared = body is null ? null : random.Next(10) switch
        {
            0 => null, // chunked
            1 => body.Length + 100, // more than is sent
            _ => body.Length,
        };
        return (query, routeName, body, contentType, declared);
    }

    private static async Task<(int Status, string ContentType)> InvokeAsync(IServiceProvider services, ApiEndpointRegistration registration, QueryString query, string? routeName, byte[]? body, string? contentType, long? declaredLength, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = registration.Route.Method;
        context.Request.Path = "/api/" + registration.Route.Route.Replace("{name}", routeName ?? "", StringComparison.Ordinal);
        context.Request.QueryString = query;
        if (registration.Route.Route.Contains("{name}", StringComparison.Ordinal)) context.Request.RouteValues["name"] = routeName;
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(body);
            context.Request.ContentLength = declaredLength;
        }

        if (contentType is not null) context.Request.Headers.ContentType = new StringValues(contentType);
        context.Response.Body = new MemoryStream();
        var endpoint = (IApiEndpoint)scope.ServiceProvider.GetRequiredService(registration.EndpointType);
        var result = await endpoint.HandleAsync(context.Request, ct);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.ContentType ?? "");
    }

    private static async Task SeedAsync(IServiceProvider sp, CancellationToken ct)
    {
        var csv = "date,IBIT,FBTC,Total\n2025-11-03,-150.0,-36.5,-186.5\n2025-11-04,-500.0,-66.4,-566.4\n2025-11-05,-100.0,-37.0,-137.0\n2025-11-06,200.0,39.9,239.9\n2025-11-07,-500.0,-58.4,-558.4\n2025-11-10,1.0,0.2,1.2\n2025-11-11,500.0,24.0,524.0\n";
        var run = await sp.GetRequiredService<EtfFlowsIngestionService>().ImportAsync(EtfFlowFile.Parse(csv, EtfFlowFileFormat.Csv, "file:seed.csv"), null, null, ct);
        Assert.Equal(7, run.Run.Inserted);
        Assert.Equal(1, await FaultServices.DrainEvaluationsAsync(sp, ct));
    }

    private static IReadOnlyList<string> SeedBodies() =>
    [
        "{\"changedFrom\":\"2025-11-03\"}",
        "{}",
        "date,IBIT,FBTC,Total\n2025-11-03,-150.0,-36.5,-186.5\n2025-11-04,(500.0),-66.4,-566.4\n",
        FarsideMarkup.Page(["IBIT", "FBTC"], [new FarsideMarkup.Row(new DateOnly(2025, 11, 3), [-150.0m, -36.5m]), new FarsideMarkup.Row(new DateOnly(2025, 11, 4), [1205.2m, null])]),
    ];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
        return text.Replace("\n", "\\n", StringComparison.Ordinal);
    }
}
