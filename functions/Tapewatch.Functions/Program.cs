using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Functions;

var builder = FunctionsApplication.CreateBuilder(args);

// Fail fast: a Key Vault reference App Service could not resolve must never be used as a webhook URL, password or key.
var unresolved = KeyVaultReferences.FindUnresolved(builder.Configuration.AsEnumerable());
if (unresolved.Count > 0)
{
    await Console.Error.WriteLineAsync(KeyVaultReferences.DescribeUnresolved(unresolved));
    return FunctionsCompositionExtensions.ConfigurationErrorExitCode;
}

builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddTapewatchFunctionsDefaults();
builder.Services.AddTapewatchTelemetry(builder.Configuration);
builder.Services.AddTapewatch(builder.Configuration);

await builder.Build().RunAsync();
return 0;
