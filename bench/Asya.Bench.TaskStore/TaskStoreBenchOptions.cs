using System.Globalization;

namespace Asya.Bench.TaskStore;

internal sealed record TaskStoreBenchOptions(IReadOnlyList<string> Stores, int Tasks, int Concurrency, int Runs)
{
    public const string Usage = "usage: Asya.Bench.TaskStore [--store sqlite|postgres|all] [--tasks 5000] [--concurrency 16] [--runs 3]\n"
        + "  postgres reads ASYA_TEST_POSTGRES (eval \"$(deploy/local/services up postgres)\")";

    public static TaskStoreBenchOptions? Parse(string[] args)
    {
        TaskStoreBenchOptions? options = new(["sqlite", "postgres"], 5000, 16, 3);
        if (args.Length % 2 != 0)
        {
            return null;
        }

        for (var i = 0; i < args.Length && options is not null; i += 2)
        {
            var (name, value) = (args[i], args[i + 1]);
            int? number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            options = (name, value, number) switch
            {
                ("--store", "all", _) => options with { Stores = ["sqlite", "postgres"] },
                ("--store", "sqlite" or "postgres", _) => options with { Stores = [value] },
                ("--tasks", _, { } count) => options with { Tasks = count },
                ("--concurrency", _, { } count) => options with { Concurrency = count },
                ("--runs", _, { } count) => options with { Runs = count },
                _ => null,
            };
        }

        return options;
    }
}
