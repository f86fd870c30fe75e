using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Local.Commands;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Tests.Hosting;

/// <summary>The pieces both doors, or both local entry points, share: the Azure credential, a job's run in a scope, the configuration error line.</summary>
public sealed class SharedPlumbingTests
{
    [Theory]
    [InlineData(null, typeof(DefaultAzureCredential))]
    [InlineData("", typeof(DefaultAzureCredential))]
    [InlineData("   ", typeof(DefaultAzureCredential))]
    [InlineData("00000000-0000-0000-0000-000000000001", typeof(ManagedIdentityCredential))]
    public void A_client_id_selects_that_managed_identity_else_the_default_chain(string? clientId, Type expected) =>
        Assert.IsType(expected, AzureCredentials.For(clientId));

    [Fact]
    public async Task A_job_runs_in_a_scope_of_its_own_that_ends_with_the_run()
    {
        var services = new ServiceCollection();
        services.AddScoped<ScopeProbe>();
        services.AddScheduledJob<ProbeJob>("Probe", "ProbeSchedule", "0 0 * * * *");
        await using var provider = services.BuildServiceProvider();
        var definition = provider.GetRequiredService<ScheduledJobDefinition>();
        var scopes = provider.GetRequiredService<IServiceScopeFactory>();

        var first = await definition.RunInScopeAsync(scopes, CancellationToken.None);
        var second = await definition.RunInScopeAsync(scopes, CancellationToken.None);

        Assert.NotEqual(Assert.Single(first).Source, Assert.Single(second).Source);
        Assert.Equal(2, ScopeProbe.Disposed(first[0].Source) + ScopeProbe.Disposed(second[0].Source));
    }

    [Fact]
    public void A_bad_setting_read_by_two_options_is_reported_once()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Tapewatch:Flows:Http:MaxRetries"] = "50",
        }).Build();
        using var services = CommandServices.Build(configuration);

        // FlowsOptions and the flows sources' resilience settings both fail: the start-up validation gathers them.
        var ex = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var message = LocalConfiguration.InvalidOptionsMessage(ex);
        Assert.NotNull(message);
        Assert.StartsWith("error: configuration: ", message, StringComparison.Ordinal);
        const string failure = "Tapewatch:Flows:Http:MaxRetries must be from 0 to 10.";
        Assert.Equal(1, (message.Length - message.Replace(failure, "", StringComparison.Ordinal).Length) / failure.Length);
    }

    [Fact]
    public void Only_options_validation_is_a_configuration_error()
    {
        Assert.Equal("error: configuration: a; b", LocalConfiguration.InvalidOptionsMessage(new OptionsValidationException("x", typeof(object), ["a", "b"])));
        Assert.Null(LocalConfiguration.InvalidOptionsMessage(new InvalidOperationException("a")));
        Assert.Null(LocalConfiguration.InvalidOptionsMessage(new AggregateException(new OptionsValidationException("x", typeof(object), ["a"]), new IOException("b"))));
    }

    private sealed class ScopeProbe : IDisposable
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> DisposedIds = new();

        public string Id { get; } = Guid.NewGuid().ToString("N");

        public static int Disposed(string id) => DisposedIds.GetValueOrDefault(id);

        public void Dispose() => DisposedIds.AddOrUpdate(Id, 1, (_, n) => n + 1);
    }

    private sealed class ProbeJob(ScopeProbe probe) : IScheduledJob
    {
        public Task<IReadOnlyList<IngestionRun>> RunAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IngestionRun>>(
                [new IngestionRun { Dataset = "probe", Source = probe.Id, Outcome = RunOutcome.Succeeded, StartedUtc = default, FinishedUtc = default }]);
    }
}
