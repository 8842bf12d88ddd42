namespace PyHdfs.Benchmarks;

/// <summary>One measured figure; <see cref="Met"/> is null when the figure has no bar.</summary>
public sealed record Figure(string Name, double Value, string Unit, string Bar = "", bool? Met = null);

/// <summary>The figures of one run, in the order they were measured.</summary>
public sealed class Results
{
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public double Add(string name, double value, string unit)
    {
        _figures.Add(new Figure(name, value, unit));
        Console.Error.WriteLine($"  {name} = {value:0.###} {unit}");
        return value;
    }

    /// <summary>A figure compared with a bar: at least (or at most) <paramref name="bar"/>.</summary>
    public void AddWithBar(string name, double value, string unit, double bar, bool atLeast, string barText)
    {
        var met = atLeast ? value >= bar : value <= bar;
        _figures.Add(new Figure(name, value, unit, barText, met));
        Console.Error.WriteLine($"  {name} = {value:0.###} {unit} ({barText}: {(met ? "met" : "missed")})");
    }

    public double Get(string name) => _figures.First(f => f.Name == name).Value;
}
