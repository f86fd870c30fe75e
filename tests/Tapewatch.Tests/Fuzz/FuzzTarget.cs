namespace Tapewatch.Tests.Fuzz;

/// <summary>How the edge sweep finds the numeric fields of a target's inputs.</summary>
public enum InputShape
{
    Json,
    Csv,
    HtmlTable,
    Prose,
}

/// <summary>A seed input: a fixture or a file of tests/data, by name.</summary>
public sealed record SeedInput(string Name, string Text)
{
    public override string ToString() => Name;
}

/// <summary>
/// What one input came to: a clean rejection (the parser's own exception type, or a result carrying its error), or
/// parsed values, each checked by the target's oracle against the input (<see cref="Violations"/> lists the values
/// the input does not bear out).
/// </summary>
public sealed record FuzzVerdict(string? Rejection, int CheckedValues, IReadOnlyList<string> Violations)
{
    public bool IsRejected => Rejection is not null;

    public static FuzzVerdict Rejected(string reason) => new(reason, 0, []);

    public static FuzzVerdict Parsed(int checkedValues, IReadOnlyList<string> violations) => new(null, checkedValues, violations);
}

/// <summary>
/// One parser of outside input under fuzz: its seed inputs (fixtures + tests/data), how many mutated inputs it gets in
/// CI, how its numeric fields are found for the edge sweep, and <see cref="Check"/>: parse one input and check every
/// returned value against the field it must come from (an unexpected exception escapes: that is the failure).
/// </summary>
public sealed record FuzzTarget(string Name, InputShape Shape, Func<IReadOnlyList<SeedInput>> Seeds, int Iterations, Func<string, FuzzVerdict> Check)
{
    /// <summary>Fields of one shape (one JSON path with list positions folded, one column) swept per seed.</summary>
    public int SweepPerShape { get; init; } = 2;

    /// <summary>When set, only fields of these shapes are swept (the CFTC file has a hundred columns the parser never reads).</summary>
    public IReadOnlyList<string>? SweepShapes { get; init; }

    /// <summary>
    /// At most this many shapes per seed, evenly spaced from the first to the last (a Farside page's twelve fund columns
    /// go through one cell parser; each page costs two HTML parses per input).
    /// </summary>
    public int MaxSweepShapes { get; init; } = int.MaxValue;

    public override string ToString() => Name;
}
