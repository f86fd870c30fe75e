[assembly: AssemblyFixture(typeof(Tapewatch.IntegrationTests.AzuriteFixture))]
