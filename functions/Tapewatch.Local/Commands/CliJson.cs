using System.Text.Json;
using System.Text.Json.Serialization;
using Tapewatch.Core.Rules;

namespace Tapewatch.Local.Commands;

/// <summary>
/// Compile-time JSON of what <c>backtest --json</c> prints: the options of <c>ApiJson.Options</c> (web defaults, nulls
/// omitted, enums as strings), with serialization code generated ahead of time instead of metadata discovered by
/// reflection at every run (about a seventh of the command's CPU time; docs/performance.md, "Start-up").
/// <c>BacktestTests</c> checks that the bytes equal ApiJson's.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(BacktestResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
