using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace Tapewatch.Tests.Architecture;

/// <summary>
/// Dependencies between the folders (namespaces) of each assembly point one way: no two folders use each other, directly
/// or through others. On a failure every cycle is listed with one type dependency per arrow, so it can be cut.
/// </summary>
public sealed class FolderCycleTests
{
    public static TheoryData<string> Assemblies => new(["Tapewatch.Core", "Tapewatch.Infrastructure", "Tapewatch.Local", "Tapewatch.Functions"]);

    private static readonly Dictionary<string, System.Reflection.Assembly> Loaded = new()
    {
        ["Tapewatch.Core"] = typeof(Core.Rules.RegimeEngine).Assembly,
        ["Tapewatch.Infrastructure"] = typeof(Infrastructure.TapewatchServiceCollectionExtensions).Assembly,
        ["Tapewatch.Local"] = typeof(Local.Hosting.LocalHost).Assembly,
        ["Tapewatch.Functions"] = typeof(Functions.Triggers.RegimeFunction).Assembly,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Folders_do_not_depend_on_each_other_in_a_cycle(string assemblyName)
    {
        var graph = FolderGraph(Loaded[assemblyName], assemblyName);
        Assert.True(graph.Count >= 2, $"{assemblyName}: only {graph.Count} folders found — the graph was not read");

        var cycles = StronglyConnected(graph.Keys, n => graph[n].Keys).Where(c => c.Count > 1).ToList();

        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(c =>
            "cycle: " + string.Join(", ", c.Order(StringComparer.Ordinal)) + "\n" + string.Join("\n",
                from source in c.Order(StringComparer.Ordinal)
                from target in graph[source].Keys.Where(c.Contains).Order(StringComparer.Ordinal)
                select $"  {source} -> {target} ({graph[source][target]})"))));
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        var graph = new Dictionary<string, string[]> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };
        var cycles = StronglyConnected(graph.Keys, n => graph[n]).Where(c => c.Count > 1).ToList();
        var cycle = Assert.Single(cycles);
        Assert.Equal(["A", "B", "C"], cycle.Order(StringComparer.Ordinal));
    }

    /// <summary>Folder → (folder it uses → one example "Type → Type").</summary>
    private static Dictionary<string, Dictionary<string, string>> FolderGraph(System.Reflection.Assembly assembly, string root)
    {
        var architecture = new ArchLoader().LoadAssemblies(assembly).Build();
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in architecture.Types.Where(t => t.Assembly.Name.StartsWith(root + ",", StringComparison.Ordinal) || t.Assembly.Name == root))
        {
            var from = type.Namespace?.FullName;
            if (from is null || !from.StartsWith(root, StringComparison.Ordinal)) continue; // generated code outside the assembly's namespaces
            var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new(StringComparer.Ordinal);
            foreach (var dependency in type.Dependencies)
            {
                var to = dependency.Target.Namespace?.FullName;
                if (to is null || to == from || (to != root && !to.StartsWith(root + ".", StringComparison.Ordinal))) continue;
                edges.TryAdd(to, $"{type.Name} -> {dependency.Target.Name}");
                if (!graph.ContainsKey(to)) graph[to] = new(StringComparer.Ordinal);
            }
        }
        return graph;
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<HashSet<string>> StronglyConnected(IEnumerable<string> nodes, Func<string, IEnumerable<string>> next)
    {
        var index = new Dictionary<string, int>(); var low = new Dictionary<string, int>();
        var stack = new Stack<string>(); var onStack = new HashSet<string>(); var result = new List<HashSet<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v); onStack.Add(v);
            foreach (var w in next(v))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new HashSet<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            result.Add(component);
        }
        foreach (var n in nodes.ToList()) if (!index.ContainsKey(n)) Visit(n);
        return result;
    }
}
