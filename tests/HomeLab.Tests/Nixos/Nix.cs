using System.Text.Json;

using HomeLab.Tests.Support;


namespace HomeLab.Tests.Nixos;

/// <summary>Runs nix-instantiate on nix/homelab.nix through the harness beside this file, with real nixpkgs.</summary>
internal sealed class Nix(string nixInstantiate)
{
    public static string ModulePath => Path.Combine(Repo.Root, "nix", "homelab.nix");

    public static string HarnessDir => Path.Combine(Repo.Root, "tests", "HomeLab.Tests", "Nixos");

    /// <summary>nix-instantiate (Debian package nix-bin); tests that call this are marked [ToolFact("nix-instantiate")] or [NixpkgsFact].</summary>
    public static Nix Require() => new(ExternalTool.Require("nix-instantiate"));

    public ProcessResult Run(params string[] arguments) =>
        ProcessRunner.Run(nixInstantiate, arguments, Repo.Root, timeout: TimeSpan.FromMinutes(2));

    /// <summary>The harness run for one values file on <paramref name="release"/>, merged with <paramref name="hostDefinitions"/>; Nix's exit code and output as they are.</summary>
    public ProcessResult RunModule(NixosRelease release, string valuesPath, string? hostDefinitions = null)
    {
        var arguments = new List<string>
        {
            "--eval", "--strict", "--json", Path.Combine(HarnessDir, "harness.nix"),
            "--argstr", "libPath", release.Lib,
            "--argstr", "ollamaModule", release.OllamaModule,
            "--argstr", "caddyModule", release.CaddyModule,
            "--argstr", "webuiModule", release.WebuiModule,
            "--argstr", "module", ModulePath,
            "--argstr", "valuesFile", valuesPath,
        };
        if (hostDefinitions is not null)
        {
            arguments.AddRange(["--arg", "host", hostDefinitions]);
        }

        return Run([.. arguments]);
    }

    /// <summary>The harness report (failed assertions, warnings, the evaluated settings) for one values file on <paramref name="release"/>.</summary>
    public JsonElement EvaluateModule(NixosRelease release, string valuesJson, string? hostDefinitions = null)
    {
        using var values = new TempFile(valuesJson);
        var run = RunModule(release, values.Path, hostDefinitions);
        run.ExitCode.Should().Be(0, "the module should evaluate on NixOS {0} for {1}, but nix-instantiate said: {2}", release.Name, valuesJson, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    /// <summary>Harness reports for every release and values file in one nix-instantiate run: release name → reports in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> EvaluateModuleForEach(IReadOnlyList<NixosRelease> releases, IReadOnlyList<string> valuesJsons)
    {
        var files = valuesJsons.Select(json => new TempFile(json)).ToList();
        try
        {
            var plan = new
            {
                releases = releases.Select(r => new { name = r.Name, libPath = r.Lib, ollamaModule = r.OllamaModule, caddyModule = r.CaddyModule, webuiModule = r.WebuiModule }),
                valuesFiles = files.Select(f => f.Path),
            };
            using var planFile = new TempFile(JsonSerializer.Serialize(plan));
            var run = Run("--eval", "--strict", "--json", Path.Combine(HarnessDir, "variants.nix"), "--argstr", "module", ModulePath, "--argstr", "plan", planFile.Path);
            run.ExitCode.Should().Be(0, "the module should evaluate for every release and variant, but nix-instantiate said: {0}", run.Stderr);
            return JsonDocument.Parse(run.Stdout).RootElement.EnumerateObject()
                .ToDictionary(p => p.Name, p => (IReadOnlyList<JsonElement>)p.Value.EnumerateArray().Select(e => e.Clone()).ToList());
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
