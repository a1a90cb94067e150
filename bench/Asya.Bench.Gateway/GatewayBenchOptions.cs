using System.Globalization;

namespace Asya.Bench.Gateway;

/// <summary>Sizes of the three gateway measurements, and where the built processes are.</summary>
internal sealed record GatewayBenchOptions(int Tasks, int Fly, int Posts, int Concurrency, int Runs, IReadOnlyList<string> Stores)
{
    public const string Usage = "usage: Asya.Bench.Gateway [--tasks 200 (closed-loop tasks per path)] [--fly 5000 (FLY burst of one stream)]"
        + " [--posts 3000] [--concurrency 16 (POST callers)] [--runs 3] [--store sqlite|postgres|all (task store of every measurement; default all)]\n"
        + "  postgres reads ASYA_TEST_POSTGRES (eval \"$(deploy/local/services up postgres)\"); without it only sqlite is measured";

    public static GatewayBenchOptions? Parse(string[] args)
    {
        GatewayBenchOptions? options = new(200, 5000, 3000, 16, 3, ["sqlite", "postgres"]);
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
                ("--fly", _, { } count) => options with { Fly = count },
                ("--posts", _, { } count) => options with { Posts = count },
                ("--concurrency", _, { } count) => options with { Concurrency = count },
                ("--runs", _, { } count) => options with { Runs = count },
                _ => null,
            };
        }

        return options;
    }
}
