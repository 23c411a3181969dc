using System.Text.Json;

using HomeLab.Tests.Support;


namespace HomeLab.Tests.Nixos;

/// <summary>Runs nix-instantiate on nix/homelab.nix through the harness beside this file (no nixpkgs needed).</summary>
internal sealed class Nix(string nixInstantiate)
{
    public static string ModulePath => Path.Combine(Repo.Root, "nix", "homelab.nix");

    public static string HarnessDir => Path.Combine(Repo.Root, "tests", "HomeLab.Tests", "Nixos");

    /// <summary>nix-instantiate (Debian package nix-bin); tests that call this are marked [ToolFact("nix-instantiate")].</summary>
    public static Nix Require() => new(ExternalTool.Require("nix-instantiate"));

    public ProcessResult Run(params string[] arguments) =>
        ProcessRunner.Run(nixInstantiate, arguments, Repo.Root, timeout: TimeSpan.FromMinutes(2));

    /// <summary>Evaluates <paramref name="expression"/> strictly to JSON; fails the test with Nix's message if it does not evaluate.</summary>
    public JsonElement EvalExpression(string expression)
    {
        var run = Run("--eval", "--strict", "--json", "-E", expression);
        run.ExitCode.Should().Be(0, "nix-instantiate should evaluate {0}, but said: {1}", expression, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    /// <summary>The module's configuration for one values file, merged with nixpkgs' hardening and <paramref name="hostDefinitions"/>.</summary>
    public JsonElement EvaluateModule(string valuesJson, string? hostDefinitions = null)
    {
        using var values = new TempFile(valuesJson);
        var arguments = new List<string>
        {
            "--eval", "--strict", "--json", Path.Combine(HarnessDir, "harness.nix"),
            "--argstr", "module", ModulePath,
            "--argstr", "valuesFile", values.Path,
        };
        if (hostDefinitions is not null)
        {
            arguments.AddRange(["--arg", "host", hostDefinitions]);
        }

        var run = Run([.. arguments]);
        run.ExitCode.Should().Be(0, "the module should evaluate for {0}, but nix-instantiate said: {1}", valuesJson, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    /// <summary>Module configurations for many values files in one nix-instantiate run, in order.</summary>
    public IReadOnlyList<JsonElement> EvaluateModuleForEach(IReadOnlyList<string> valuesJsons)
    {
        var files = valuesJsons.Select(json => new TempFile(json)).ToList();
        try
        {
            using var list = new TempFile(JsonSerializer.Serialize(files.Select(f => f.Path)));
            var run = Run("--eval", "--strict", "--json", Path.Combine(HarnessDir, "variants.nix"), "--argstr", "module", ModulePath, "--argstr", "valuesFiles", list.Path);
            run.ExitCode.Should().Be(0, "the module should evaluate for every variant, but nix-instantiate said: {0}", run.Stderr);
            return JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }
        finally
        {
            files.ForEach(f => f.Dispose());
        }
    }
}

internal sealed class TempFile : IDisposable
{
    public TempFile(string content)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"homelab-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}

/// <summary>Reading the evaluated configuration by attribute path.</summary>
internal static class Evaluated
{
    public static JsonElement At(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            element.TryGetProperty(name, out var next).Should().BeTrue("the evaluated configuration should define {0} (at {1})", name, string.Join('.', path));
            element = next;
        }

        return element;
    }

    public static bool Has(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return false;
            }
        }

        return true;
    }

    public static IReadOnlyList<string> Strings(this JsonElement element) => element.EnumerateArray().Select(e => e.GetString()!).ToList();

    public static IReadOnlyList<int> Ints(this JsonElement element) => element.EnumerateArray().Select(e => e.GetInt32()).ToList();
}
