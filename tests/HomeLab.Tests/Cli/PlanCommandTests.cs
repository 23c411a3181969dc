using HomeLab.Tests.Support;

namespace HomeLab.Tests.Cli;

public sealed class PlanCommandTests : IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();

    /// <summary>plan compiles the stack, which reads the NixOS module that the project keeps in nix/.</summary>
    public PlanCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(repo.Root, "nix"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "nix")))
        {
            File.Copy(file, Path.Combine(repo.Root, "nix", Path.GetFileName(file)));
        }
    }

    public void Dispose() => repo.Dispose();

    private ProcessResult Plan(string stack, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = ProcessRunner.Homelab(repo.Root, environment, "plan", stack);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result;
    }

    [Fact]
    public void Plan_piped_is_plain_text_showing_hosts_instances_models_and_the_proxy()
    {
        var result = ProcessRunner.Homelab(Repo.Root, null, "plan", "gpu-box");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().NotContain("\u001b[", "piped output must carry no colour codes")
            .And.Contain("gpu-box").And.Contain("ollama-a").And.Contain("reviewer (chat from qwen2.5-coder:7b)")
            .And.Contain("https://ollama.home.arpa").And.Contain("ollama-a, ollama-b (least_conn)")
            .And.Contain("docker:Container");
    }

    [Fact]
    public void Plan_shows_tuning_shared_memory_proxy_ports_and_hooks_in_the_stack_files_words()
    {
        repo.Edit("stacks/gpu-box.yaml", "  routes:\n", "  routes:\n    - prefix: /batch\n      to: [ollama-b]\n      balance: round_robin\n");
        repo.Write("stacks/gpu-box.yaml", repo.Read("stacks/gpu-box.yaml") + "\nhooks:\n  via: proxy\n  readyTimeout: 1h30m\n  pullConcurrency: 3\n  verify: false\n");

        var output = Plan("gpu-box").Stdout;

        output.Should().Contain("gpu nvidia [0] · mem 24GiB · cpus 8 · shm 2GiB ·")
            .And.Contain("tuning keepAlive 30m · numParallel 4 · maxLoadedModels 2 · contextLength 8192 · flashAttention true · kvCacheType q8_0\n")
            .And.Contain("listens on 0.0.0.0: http 80, https 443\n")
            .And.Contain("/batch → ollama-b (round_robin)")
            .And.Contain("hooks: via proxy · readyTimeout 1h30m · pullConcurrency 3 · stallTimeout 2m · verify false\n")
            .And.NotContain("leastconn").And.NotContain("roundrobin");
    }

    [Fact]
    public void Plan_names_each_secret_with_its_purpose_and_whether_the_stack_config_sets_it_without_printing_a_value()
    {
        repo.Write("stacks/Pulumi.gpu-box.yaml",
            "config:\n  homelab:ciToken:\n    secure: v1:AAAABBBBsecretcipher\n  homelab:aliceHash: $2a$14$plaintexthashvalue\n  other:laptopToken: not-ours\n");

        var output = Plan("gpu-box").Stdout;

        output.Should().Contain("secrets (checked in stacks/Pulumi.gpu-box.yaml)")
            .And.Contain("ciToken (proxy bearer token) · set\n")
            .And.Contain("aliceHash (bcrypt hash for basic-auth user alice) · set in plain text — pulumi config rm aliceHash --stack gpu-box, then homelab secrets gpu-box --set-missing\n")
            .And.Contain("laptopToken (proxy bearer token) · not set — homelab secrets gpu-box --set-missing\n")
            .And.NotContain("AAAABBBB").And.NotContain("plaintexthashvalue").And.NotContain("not-ours");
    }

    [Fact]
    public void Plan_reads_the_config_Pulumi_passes_in_PULUMI_CONFIG_before_the_file()
    {
        var output = Plan("local", new Dictionary<string, string?> { ["PULUMI_CONFIG"] = "{\"homelab:localToken\":\"tok-123-value\"}" }).Stdout;

        output.Should().Contain("secrets (checked in PULUMI_CONFIG)").And.Contain("localToken (proxy bearer token) · set\n").And.NotContain("tok-123-value");
    }

    [Fact]
    public void Without_a_readable_stack_config_plan_lists_the_secrets_and_says_they_were_not_checked()
    {
        repo.Delete("stacks/Pulumi.local.yaml");

        var output = Plan("local").Stdout;

        output.Should().Contain("secrets (set them with homelab secrets local --set-missing; no stack config readable here, so not checked)")
            .And.Contain("localToken (proxy bearer token)\n").And.NotContain("not set");
    }
}
