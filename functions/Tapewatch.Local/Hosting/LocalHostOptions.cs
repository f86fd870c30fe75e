namespace Tapewatch.Local.Hosting;

internal sealed record LocalHostOptions
{
    public int Port { get; init; } = 7071;

    public string? StorageConnectionString { get; init; }

    /// <summary>Azurite data folder; null = in-memory.</summary>
    public string? DataDirectory { get; init; }

    public bool Once { get; init; }

    /// <summary>Optional key required on non-anonymous routes (x-functions-key header or ?code=).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Extra settings layered over the configuration (tests point sources at loopback with these).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }
}
