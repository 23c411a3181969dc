using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using HomeLab.Contracts;
using HomeLab.Conventions;
using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>The Pulumi program for a NixOS host: steps, their order, their inputs, and when they re-run.</summary>
public class NixosProgramTests
{
    private static PulumiProgram Compile(StackSpec spec, string? module = null) => Compiler.Compile(spec, module ?? NixosStacks.Module);

    private static Resource Step(PulumiProgram program, string name) => program.Resources.Single(r => r.Name == name);

    private static string Literal(Resource resource, string property) => resource.Properties[property] switch
    {
        Text text => text.Value,
        var other => throw new InvalidOperationException($"{resource.Name}.{property} is {other?.GetType().Name ?? "missing"}, not a literal"),
    };

    private static IReadOnlyList<Value> Triggers(PulumiProgram program, string host = "grey-area") =>
        ((ListValue)Step(program, $"{host}-nixos-rebuild").Properties["triggers"]!).Items;

    private static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Grey_area_checks_the_host_then_delivers_the_files_and_credentials_then_rebuilds()
    {
        var program = Compile(NixosStacks.GreyArea);

        program.Resources.Select(r => r.Name).Should().Equal(
            "grey-area-nixos-preflight", "grey-area-nixos-module", "grey-area-nixos-values", "grey-area-caddy-env", "grey-area-nixos-rebuild", "ollama-hooks");
        program.Resources.Should().OnlyContain(r => r.Type.StartsWith("command:", StringComparison.Ordinal) && r.Options.Version == Pins.CommandProvider);
        Step(program, "ollama-hooks").Options.DependsOn.Should().Contain(new Ref("grey-area-nixos-rebuild"), "the hooks run once the host is rebuilt");
        foreach (var delivery in new[] { "grey-area-nixos-module", "grey-area-nixos-values", "grey-area-caddy-env" })
        {
            Step(program, delivery).Options.DependsOn.Should().Equal(new Ref("grey-area-nixos-preflight"));
        }

        Step(program, "grey-area-nixos-rebuild").Options.DependsOn.Should().Equal(
            new Ref("grey-area-nixos-module"), new Ref("grey-area-nixos-values"), new Ref("grey-area-caddy-env"));
    }

    [Fact]
    public void Every_step_uses_only_inputs_that_the_command_provider_declares()
    {
        var command = ProviderContract.Command.Resources["command:remote:Command"];
        var inputs = command.Inputs;
        var connectionType = ProviderContract.Command.Type("command:remote:Connection")!.Value;
        var connectionProperties = connectionType.GetProperty("properties");

        var programs = new[] { Compile(NixosStacks.GreyArea) }
            .Concat(NixosStacks.ProxyModes.Select(proxy => Compile(NixosStacks.Variant("amd", proxy, "cpu"))));
        foreach (var resource in programs.SelectMany(p => p.Resources).Where(r => r.Type == "command:remote:Command"))
        {
            foreach (var (name, value) in resource.Properties.Entries)
            {
                inputs.TryGetProperty(name, out var declared).Should().BeTrue("{0} sets '{1}', which command:remote:Command does not take", resource.Name, name);
                var kind = declared.TryGetProperty("type", out var type) ? type.GetString() : "object";
                var fits = kind switch
                {
                    "string" => value is Text or Interpolation or Ref,
                    "array" => value is ListValue,
                    "boolean" => value is Flag,
                    _ => value is MapValue,
                };
                fits.Should().BeTrue("{0}.{1} must be a {2}, not {3}", resource.Name, name, kind, value.GetType().Name);
            }

            foreach (var required in command.RequiredInputs)
            {
                resource.Properties[required].Should().NotBeNull("{0} needs '{1}'", resource.Name, required);
            }

            var connection = (MapValue)resource.Properties["connection"]!;
            foreach (var (name, value) in connection.Entries)
            {
                connectionProperties.TryGetProperty(name, out var declared).Should().BeTrue("connection of {0} sets '{1}', which the Connection type does not have", resource.Name, name);
                value.Should().BeOfType(declared.GetProperty("type").GetString() == "number" ? typeof(Number) : value.GetType());
            }

            foreach (var required in connectionType.GetProperty("required").EnumerateArray())
            {
                connection[required.GetString()!].Should().NotBeNull();
            }
        }
    }

    [Fact]
    public void The_ssh_key_comes_from_secret_config_and_the_agent_is_used_without_one()
    {
        var greyArea = Compile(NixosStacks.GreyArea);
        var connection = (MapValue)Step(greyArea, "grey-area-nixos-rebuild").Properties["connection"]!;

        connection["host"].Should().Be(new Text("grey-area.lan"));
        connection["user"].Should().Be(new Text("deploy"));
        connection["port"].Should().Be(new Number(22));
        connection["privateKey"].Should().Be(new Ref("greyAreaSshKey"));
        greyArea.Config.Should().ContainSingle(c => c.Name == "greyAreaSshKey").Which.Secret.Should().BeTrue();

        var agent = Compile(NixosStacks.Variant("none", "none", "none"));
        ((MapValue)Step(agent, "box-nixos-rebuild").Properties["connection"]!)["privateKey"].Should().BeNull();
    }

    [Fact]
    public void Credentials_reach_the_host_only_through_stdin_as_secret_references()
    {
        var program = Compile(NixosStacks.GreyArea);
        var env = Step(program, "grey-area-caddy-env");

        env.Properties["stdin"].Should().BeOfType<Interpolation>().Which.Parts.Should().Equal(
            "HOMELAB_BEARER_greyAreaHooksToken=", new Ref("greyAreaHooksToken"), "\n", "HOMELAB_BASIC_opsPasswordHash=", new Ref("opsPasswordHash"), "\n");
        Literal(env, "create").Should().NotContain("opsPasswordHash").And.Contain("install -D -m 0600 -o root -g root");
        program.Resources.Where(r => r != env && r.Type == "command:remote:Command").SelectMany(r => r.Properties.Entries).Select(e => e.Value)
            .Should().NotContain(v => v is Interpolation || v is Ref && ((Ref)v).Name == "opsPasswordHash");
        NixosStacks.ValuesJson(NixosStacks.GreyArea).Should().Contain("{env.HOMELAB_BASIC_opsPasswordHash}", "the Caddyfile names the variable, never its value");
    }

    [Fact]
    public void An_open_proxy_needs_no_credentials_step()
    {
        var program = Compile(NixosStacks.Variant("nvidia", "off", "none"));

        program.Resources.Select(r => r.Name).Should().NotContain("box-caddy-env");
        Step(program, "box-nixos-rebuild").Options.DependsOn.Should().Equal(new Ref("box-nixos-module"), new Ref("box-nixos-values"));
    }

    [Fact]
    public void The_delivered_files_are_the_repository_module_and_the_compiled_values()
    {
        var program = Compile(NixosStacks.GreyArea);

        Literal(Step(program, "grey-area-nixos-module"), "stdin").Should().Be(NixosStacks.Module);
        Literal(Step(program, "grey-area-nixos-module"), "create").Should().Be("sudo -n install -D -m 0644 /dev/stdin '/etc/nixos/homelab/homelab.nix'");
        Literal(Step(program, "grey-area-nixos-values"), "stdin").Should().Be(NixosStacks.ValuesJson(NixosStacks.GreyArea));
        Literal(Step(program, "grey-area-nixos-values"), "create").Should().Be("sudo -n install -D -m 0644 /dev/stdin '/etc/nixos/homelab/values.json'");
    }

    [Fact]
    public void The_bundled_module_is_the_file_in_the_repository()
    {
        NixosModule.Bundled.Should().Be(NixosStacks.Module, "a build must ship the module that nix/ holds");
        ProgramEmitter.Emit(Compiler.Compile(NixosStacks.GreyArea)).Should().Be(ProgramEmitter.Emit(Compile(NixosStacks.GreyArea)));
    }

    [Fact]
    public void Rebuild_triggers_are_the_sha256_of_the_delivered_module_and_values_and_the_machine_id()
    {
        var program = Compile(NixosStacks.GreyArea);

        Triggers(program).Should().Equal(
            new Text(Sha256(NixosStacks.Module)),
            new Text(Sha256(NixosStacks.ValuesJson(NixosStacks.GreyArea))),
            new Ref("grey-area-nixos-preflight", "stdout"));
        Literal(Step(program, "grey-area-nixos-rebuild"), "create").Should().Contain(Sha256(NixosStacks.ValuesJson(NixosStacks.GreyArea))["sha256:".Length..]);
    }

    [Fact]
    public void Triggers_change_with_the_module_and_only_its_hash_changes()
    {
        var before = Triggers(Compile(NixosStacks.GreyArea));
        var after = Triggers(Compile(NixosStacks.GreyArea, NixosStacks.Module + "# a comment is a change too\n"));

        after[0].Should().NotBe(before[0]);
        after.Skip(1).Should().Equal(before.Skip(1));
    }

    [Fact]
    public void Triggers_change_with_the_values_and_only_their_hash_changes()
    {
        var yaml = File.ReadAllText(Path.Combine(Repo.Stacks, "grey-area.yaml"));
        var before = Triggers(Compile(Stacks.Parse(yaml, "grey-area")));

        foreach (var (original, changed) in new[] { ("memory: 16GiB", "memory: 20GiB"), ("qwen3:8b", "qwen3:14b"), ("https: 8443", "https: 9443"), ("priority: low", "priority: idle") })
        {
            var after = Triggers(Compile(Stacks.Parse(yaml.Replace(original, changed, StringComparison.Ordinal), "grey-area")));

            after[1].Should().NotBe(before[1], "changing '{0}' changes the values", original);
            after[0].Should().Be(before[0]);
            after[2].Should().Be(before[2]);
        }
    }

    [Fact]
    public void Triggers_stay_the_same_when_nothing_delivered_changes()
    {
        var yaml = File.ReadAllText(Path.Combine(Repo.Stacks, "grey-area.yaml"));
        var baseline = Compile(Stacks.Parse(yaml, "grey-area"));
        var changes = new (string Yaml, Func<StackSpec, bool> Applied)[]
        {
            (yaml.Replace("      user: deploy\n", "      user: deploy\n      port: 2222\n", StringComparison.Ordinal), s => NixosStacks.OnlyHost(s).Ssh.Port == 2222),
            (yaml + "hooks:\n  readyTimeout: 10m\n", s => s.Hooks.ReadyTimeout == TimeSpan.FromMinutes(10)),
            (yaml.Replace("      - qwen3:8b\n", "      - qwen3:8b\n      - name: reviewer\n        from: qwen2.5-coder:7b\n        system: Review carefully.\n", StringComparison.Ordinal),
                s => s.Instances.Single().Models.Any(m => m.IsCustom)),
        };

        foreach (var (changed, applied) in changes)
        {
            var spec = Stacks.Parse(changed, "grey-area");
            applied(spec).Should().BeTrue("the test's edit must take effect");

            Triggers(Compile(spec)).Should().Equal(Triggers(baseline), "neither the module nor its values changed");
        }
    }

    [Theory]
    [InlineData("switch", "nixos-rebuild switch", "/run/current-system/etc/homelab/values.json")]
    [InlineData("test", "nixos-rebuild test", "/run/current-system/etc/homelab/values.json")]
    [InlineData("boot", "nixos-rebuild boot", "/nix/var/nix/profiles/system/etc/homelab/values.json")]
    public void The_rebuild_runs_the_mode_the_stack_asks_for_and_checks_the_built_system(string mode, string command, string builtValues)
    {
        var yaml = File.ReadAllText(Path.Combine(Repo.Stacks, "grey-area.yaml")).Replace("rebuild: switch", $"rebuild: {mode}", StringComparison.Ordinal);

        var create = Literal(Step(Compile(Stacks.Parse(yaml, "grey-area")), "grey-area-nixos-rebuild"), "create");

        create.Should().Contain($"sudo -n sh -lc '{command}'").And.Contain($"'{builtValues}' | sha256sum -c --status");
    }

    [Fact]
    public void Without_sudo_no_step_calls_sudo()
    {
        var yaml = File.ReadAllText(Path.Combine(Repo.Stacks, "grey-area.yaml")).Replace("sudo: true", "sudo: false", StringComparison.Ordinal);

        var program = Compile(Stacks.Parse(yaml, "grey-area"));

        program.Resources.Select(r => Literal(r, "create")).Should().NotContain(c => c.Contains("sudo", StringComparison.Ordinal) && !c.Contains("sudo git", StringComparison.Ordinal));
        Literal(Step(program, "grey-area-nixos-module"), "create").Should().Be("install -D -m 0644 /dev/stdin '/etc/nixos/homelab/homelab.nix'");
    }

    [Fact]
    public void A_module_dir_outside_etc_nixos_is_imported_by_absolute_path_and_refused_for_flakes()
    {
        var yaml = File.ReadAllText(Path.Combine(Repo.Stacks, "grey-area.yaml")).Replace("moduleDir: /etc/nixos/homelab", "moduleDir: /srv/homelab", StringComparison.Ordinal);

        var preflight = Literal(Step(Compile(Stacks.Parse(yaml, "grey-area")), "grey-area-nixos-preflight"), "create");

        preflight.Should().Contain("imports = [ /srv/homelab/homelab.nix ];")
            .And.Contain("a flake cannot import files outside /etc/nixos: set '\\''moduleDir'\\'' of host '\\''grey-area'\\'' in stacks/grey-area.yaml");
    }

    [Fact]
    public void Outputs_give_the_loopback_endpoint_and_the_proxy_url()
    {
        var outputs = Compile(NixosStacks.GreyArea).Outputs;

        outputs.Should().Contain([
            new Output("ollamaEndpoint", new Text("http://127.0.0.1:11434")),
            new Output("proxyUrl", new Text("https://ollama.grey-area.lan:8443"))]);
    }

    [Fact]
    public void The_reinstall_command_replaces_the_preflight_step_by_its_urn()
    {
        var spec = NixosStacks.GreyArea;

        NixosOllama.ReinstallCommand(spec, NixosStacks.OnlyHost(spec)).Should()
            .Be("pulumi up --stack grey-area --replace urn:pulumi:grey-area::homelab::command:remote:Command::grey-area-nixos-preflight");
        foreach (var step in Compile(spec).Resources.Where(r => r.Type == "command:remote:Command" && r.Name != "grey-area-nixos-preflight"))
        {
            ((ListValue)step.Properties["triggers"]!).Items.Should().Contain(new Ref("grey-area-nixos-preflight", "stdout"), "{0} must re-run on a reinstalled machine", step.Name);
        }
    }
}
