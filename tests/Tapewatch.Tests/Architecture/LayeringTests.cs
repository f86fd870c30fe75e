using Assembly = System.Reflection.Assembly;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Tapewatch.Tests.Architecture;

/// <summary>
/// The layers the compiler cannot see: a pure domain (Tapewatch.Core) that knows no Azure SDK, no ASP.NET Core and no
/// HTTP client; adapters (Tapewatch.Infrastructure) that know no host; two thin doors (the Function app and the local
/// host/CLI) that know nothing of each other; local-only code (Azurite, local scheduler and queue worker) only in the
/// local host. Dependencies point one way.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Domain = typeof(Core.Rules.RegimeEngine).Assembly;
    private static readonly Assembly Infrastructure = typeof(Infrastructure.TapewatchServiceCollectionExtensions).Assembly;
    private static readonly Assembly FunctionApp = typeof(Functions.Triggers.RegimeFunction).Assembly;
    private static readonly Assembly LocalHost = typeof(Local.Hosting.LocalHost).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture Architecture = new ArchLoader()
        .LoadAssemblies(Domain, Infrastructure, FunctionApp, LocalHost)
        .Build();

    /// <summary>
    /// What the domain may reference: the base class library, the HTML parser, the CSV parser (Sep: pure parsing of the
    /// text it is given) and the options abstractions (whose <c>[ValidateObjectMembers]</c> declares that nested options
    /// are validated), nothing else.
    /// </summary>
    private static readonly string[] DomainMayReference = ["System.", "Microsoft.Win32.", "netstandard", "AngleSharp", "Sep", OptionsAbstractions];

    private const string OptionsAbstractions = "Microsoft.Extensions.Options";

    private static readonly string[] HttpAndAzure = ["Azure", "Microsoft.AspNetCore", "Microsoft.Extensions", "Microsoft.Azure", "System.Net.Http", "Polly", "MailKit", "MimeKit"];

    public static TheoryData<string> DomainReferences => new(Domain.GetReferencedAssemblies().Select(a => a.Name!));

    [Theory]
    [MemberData(nameof(DomainReferences))]
    public void The_domain_references_only_the_base_library_and_the_HTML_parser(string reference)
    {
        Assert.Contains(DomainMayReference, allowed => reference == allowed || reference.StartsWith(allowed, StringComparison.Ordinal) || reference == "System");
        if (reference != OptionsAbstractions) Assert.DoesNotContain(HttpAndAzure, banned => reference.StartsWith(banned, StringComparison.Ordinal));
    }

    [Fact]
    public void The_domain_has_what_it_should_and_references_no_other_layer()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("AngleSharp", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Tapewatch", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r == "System.Net.Http"); // not even the HTTP client of the base library
    }

    [Fact]
    public void Infrastructure_knows_no_host()
    {
        var references = Infrastructure.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("Tapewatch.Core", references);
        Assert.DoesNotContain(references, r => r is "Tapewatch.Functions" or "Tapewatch.Local");
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal));
    }

    [Fact]
    public void The_two_doors_know_nothing_of_each_other()
    {
        Assert.DoesNotContain(FunctionApp.GetReferencedAssemblies(), a => a.Name == "Tapewatch.Local");
        Assert.DoesNotContain(LocalHost.GetReferencedAssemblies(), a => a.Name == "Tapewatch.Functions");
        Assert.DoesNotContain(LocalHost.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_local_host_starts_processes()
    {
        Types().That().ResideInAssembly(Domain).Or().ResideInAssembly(Infrastructure).Or().ResideInAssembly(FunctionApp)
            .Should().NotDependOnAny(typeof(System.Diagnostics.Process))
            .Because("starting Azurite or shelling out is local-only and must not ship to Azure")
            .Check(Architecture);
        Assert.Contains(LocalHost.GetTypes(), t => t.Name == "AzuriteProcess");
    }
}
