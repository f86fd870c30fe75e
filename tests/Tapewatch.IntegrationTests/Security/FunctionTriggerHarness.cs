using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Tapewatch.Functions;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>The answer of an HTTP trigger, as the client would see it.</summary>
internal sealed record TriggerAnswer(int Status, string ContentType, string Body)
{
    public override string ToString() => $"{Status} {ContentType}: {(Body.Length > 400 ? Body[..400] + "…" : Body)}";
}

/// <summary>
/// The Function app's composition (what Program.cs does, minus the worker's gRPC channel to the Functions host, which cannot
/// run here): <c>AzureWebJobsStorage</c> → <c>AddTapewatchFunctionsDefaults</c>, logging from the <c>Logging</c> section,
/// <c>AddTapewatchTelemetry</c> (off without a connection string), <c>AddTapewatch</c>. Triggers are invoked as the worker does: an instance of the trigger class from
/// the invocation's service scope, each parameter bound from its trigger (HTTP request, timer info, queue message), route
/// parameters bound by name, and the returned <see cref="IResult"/> executed on the request's <see cref="HttpContext"/>.
/// </summary>
internal sealed class FunctionTriggerHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private FunctionTriggerHarness(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    /// <summary>Names of the functions invoked so far.</summary>
    public HashSet<string> Invoked { get; } = new(StringComparer.Ordinal);

    public static FunctionTriggerHarness Build(string storageConnectionString, TimeProvider time, IReadOnlyDictionary<string, string?> settings, Action<ILoggingBuilder>? logging = null)
    {
        var configuration = new ConfigurationManager();
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["EtfFlowsSchedule"] = "0 5,35 0-2,12-14,20-23 * * 1-6",
            ["DerivativesSchedule"] = "0 5 * * * *",
            ["DerivativesCloseSchedule"] = "0 15 20,21 * * 1-5",
            ["WeeklyFlowsSchedule"] = "0 15 7-21 * * 1-2",
        };
        foreach (var kv in settings) values[kv.Key] = kv.Value;
        configuration.AddInMemoryCollection(values);
        configuration.AddTapewatchFunctionsDefaults();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(builder =>
        {
            builder.AddConfiguration(configuration.GetSection("Logging")); // as the worker's host builder does
            logging?.Invoke(builder);
        });
        services.AddSingleton(time);
        services.AddTapewatchTelemetry(configuration);
        services.AddTapewatch(configuration);
        return new FunctionTriggerHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
    }

    /// <summary>
    /// Sends a request to the HTTP trigger the host would route it to (the one whose method and route template match
    /// <paramref name="route"/>); <paramref name="routeValues"/> fill the template and bind to the method's parameters of the same name.
    /// </summary>
    public async Task<TriggerAnswer> HttpAsync(ExpectedRoute route, string query = "", string? body = null, string? contentType = null, IReadOnlyDictionary<string, string>? routeValues = null, CancellationToken ct = default)
    {
        var trigger = RouteTableTests.HttpTriggers().Single(t => t.Route.Method == route.Method && t.Route.Path == route.Path);
        var path = "/api/" + (routeValues ?? new Dictionary<string, string>()).Aggregate(route.Path, (p, kv) => p.Replace("{" + kv.Key + "}", Uri.EscapeDataString(kv.Value), StringComparison.Ordinal));
        Assert.DoesNotContain("{", path, StringComparison.Ordinal);

        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = route.Method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("tapewatch.azurewebsites.net");
        context.Request.Path = path;
        context.Request.QueryString = query.Length == 0 ? QueryString.Empty : new QueryString("?" + query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }

        if (contentType is not null) context.Request.Headers.ContentType = new StringValues(contentType);
        context.Response.Body = new MemoryStream();

        var result = await InvokeAsync(trigger.Method, scope.ServiceProvider, parameter =>
            parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null ? context.Request
            : parameter.ParameterType == typeof(string) && routeValues?.TryGetValue(parameter.Name!, out var value) == true ? value
            : throw new InvalidOperationException($"{trigger.FunctionName}: nothing binds parameter '{parameter.Name}'"), ct);
        var answer = Assert.IsAssignableFrom<IResult>(result);
        await answer.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return new TriggerAnswer(context.Response.StatusCode, context.Response.ContentType ?? "", await new StreamReader(context.Response.Body).ReadToEndAsync(ct));
    }

    /// <summary>Fires a timer trigger (as the host does on schedule: a <see cref="TimerInfo"/>, not past due).</summary>
    public Task TimerAsync(string functionName, CancellationToken ct) =>
        InvokeAsync(Function(functionName), null, parameter =>
            parameter.GetCustomAttribute<TimerTriggerAttribute>() is not null ? new TimerInfo { IsPastDue = false }
            : throw new InvalidOperationException($"{functionName}: nothing binds parameter '{parameter.Name}'"), ct);

    /// <summary>Delivers one queue message (its text, as the queue trigger binds a string) to a queue trigger.</summary>
    public Task QueueAsync(string functionName, string message, CancellationToken ct) =>
        InvokeAsync(Function(functionName), null, parameter =>
            parameter.GetCustomAttribute<QueueTriggerAttribute>() is not null ? message
            : throw new InvalidOperationException($"{functionName}: nothing binds parameter '{parameter.Name}'"), ct);

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private static MethodInfo Function(string name) =>
        RouteTableTests.FunctionMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()!.Name == name);

    private async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider? scopeServices, Func<ParameterInfo, object?> bind, CancellationToken ct)
    {
        AsyncServiceScope? ownScope = scopeServices is null ? _services.CreateAsyncScope() : null;
        try
        {
            var services = scopeServices ?? ownScope!.Value.ServiceProvider;
            var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
            var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(CancellationToken) ? ct : bind(p)).ToArray();
            var task = Assert.IsAssignableFrom<Task>(method.Invoke(instance, arguments));
            await task;
            Invoked.Add(method.GetCustomAttribute<FunctionAttribute>()!.Name);
            return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
        }
        finally
        {
            if (ownScope is { } scope) await scope.DisposeAsync();
        }
    }
}
