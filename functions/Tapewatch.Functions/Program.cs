using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Tapewatch.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddTapewatchFunctionsDefaults();
builder.Services.AddTapewatch(builder.Configuration);

builder.Build().Run();
