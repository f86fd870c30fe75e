using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tapewatch.Tests;

/// <summary>Collects every log line (its message and exception, then each structured value as "Name=value"), any category, any level.</summary>
internal sealed class ListLogger : ILoggerProvider, ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Lines.Enqueue(formatter(state, exception) + " " + exception);
        if (state is IEnumerable<KeyValuePair<string, object?>> kv)
        {
            foreach (var p in kv) Lines.Enqueue(p.Key + "=" + p.Value);
        }
    }

    public void Dispose()
    {
    }
}
