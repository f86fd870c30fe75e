using Tapewatch.TestSupport;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]
