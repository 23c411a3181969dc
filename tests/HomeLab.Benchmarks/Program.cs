using HomeLab.Benchmarks;

// Each mode prints its figures; 'all' runs every mode in turn.
var modes = new Dictionary<string, Func<Task>>(StringComparer.Ordinal)
{
    ["compile"] = () =>
    {
        CompileBenchmark.Run();
        return Task.CompletedTask;
    },
    ["startup"] = () =>
    {
        HookStartupBenchmark.Run();
        return Task.CompletedTask;
    },
    ["hooks"] = HooksBenchmark.RunAsync,
};

var mode = args.FirstOrDefault() ?? "all";
if (mode == "all")
{
    foreach (var run in modes.Values)
    {
        await run();
    }

    return 0;
}

if (modes.TryGetValue(mode, out var selected))
{
    await selected();
    return 0;
}

await Console.Error.WriteLineAsync($"usage: dotnet run --project tests/HomeLab.Benchmarks -c Release -- <{string.Join("|", modes.Keys.Append("all"))}>");
return 2;
