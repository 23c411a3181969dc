using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Spec;
using HomeLab.Tests.Spec.Shape;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Hooks;

/// <summary>
/// ':local' and ':cloud' names as Ollama v0.32.15 reads them (internal/modelref ParseRef, NormalizePullName), in the
/// stack language and in the hooks.
/// </summary>
public class ModelSourceTests
{
    [Fact]
    public async Task A_local_model_with_removeUndeclared_survives_two_runs_and_verifies()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("qwen2.5", 1 << 20);
        ollama.Install("stale:1b");
        var yaml = HookHarness.DirectStack("          - qwen2.5:local", removeUndeclared: true);

        var first = await HookHarness.RunAsync(yaml, ollama.Url);
        var second = await HookHarness.RunAsync(yaml, ollama.Url);

        first.Report.Failures.Should().BeEmpty();
        second.Report.Failures.Should().BeEmpty();
        first.Report.Removed.Should().Equal("stale:1b");
        second.Report.Removed.Should().BeEmpty("qwen2.5:latest is what the declared qwen2.5:local resolves to");
        second.Report.Models.Should().ContainSingle().Which.State.Should().Be("present");
        ollama.InstalledModels.Should().Equal("qwen2.5:latest");
    }

    [Fact]
    public async Task The_stand_in_resolves_source_suffixes_per_endpoint_as_Ollama_does()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("qwen2.5", 1 << 20);
        using var http = new HttpClient { BaseAddress = ollama.Url };
        async Task<(HttpStatusCode Status, string Body)> Send(HttpMethod method, string path, string json)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.StartsWith('{') && !text.Trim().Contains('\n', StringComparison.Ordinal) && JsonNode.Parse(text)!["error"] is { } error ? error.GetValue<string>() : text);
        }

        (await Send(HttpMethod.Post, "api/pull", """{"model":"qwen2.5:local","stream":false}""")).Status.Should().Be(HttpStatusCode.OK);
        (await Send(HttpMethod.Post, "api/create", """{"model":"mine:local","from":"qwen2.5:local"}""")).Status.Should().Be(HttpStatusCode.OK);

        ollama.InstalledModels.Should().Equal("mine:local", "qwen2.5:latest");
        (await Send(HttpMethod.Post, "api/show", """{"model":"mine:local"}""")).Should().Be((HttpStatusCode.NotFound, "model 'mine:latest' not found"),
            "create stores the tag 'local'; show drops it and looks for mine:latest");
        (await Send(HttpMethod.Delete, "api/delete", """{"model":"bad name!"}""")).Should().Be((HttpStatusCode.BadRequest, "name \"bad name!\" is invalid"));
        (await Send(HttpMethod.Post, "api/show", """{"model":"bad name!"}""")).Should().Be((HttpStatusCode.BadRequest, "invalid model name"));
        (await Send(HttpMethod.Post, "api/generate", """{"model":"x:local:cloud"}""")).Body.Should().Contain("use either :local or :cloud, not both");
    }

    [Fact]
    public async Task A_cloud_model_refused_by_Ollama_names_the_model_and_the_cloud_and_no_proxy()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("gpt-oss:20b-cloud", 400);
        ollama.NoCloud = true;
        var yaml = HookHarness.DirectStack("          - gpt-oss:20b-cloud").Replace("    removeUndeclared:", "    cloud: true\n    removeUndeclared:", StringComparison.Ordinal);

        var run = await HookHarness.RunAsync(yaml, ollama.Url);

        run.Report.Failures.Should().ContainSingle().Which.Should()
            .Contain("'gpt-oss:20b-cloud'").And.Contain("Ollama's cloud is off").And.Contain("ollama cloud is disabled").And.NotContainEquivalentOf("proxy");
    }

    [Theory]
    [InlineData("gpt-oss:20b:cloud")]
    [InlineData("gpt-oss:20b-cloud")]
    [InlineData("kimi:CLOUD")]
    public void A_cloud_model_is_refused_at_its_position_unless_the_instance_allows_cloud(string name)
    {
        var yaml = BadStackCases.Valid.Replace("    models:\n", $"    models:\n      - {name}\n", StringComparison.Ordinal);
        yaml.Should().Contain(name);

        var load = () => Stacks.Parse(yaml);

        var error = load.Should().Throw<StackFileException>().Which.Diagnostics.Should().ContainSingle().Subject;
        error.ToString().Should().MatchRegex(@":\d+:\d+: ").And.Contain($"'{name}' is an Ollama cloud model").And.Contain("cloud: true");
        Stacks.Parse(yaml.Replace("    models:\n", "    cloud: true\n    models:\n", StringComparison.Ordinal)).Instances[0].Models
            .Should().Contain(m => m.Name.IsCloud, "the stack takes the name in the legacy form Ollama pulls and lists it under");
    }

    [Fact]
    public void Every_target_keeps_cloud_off_unless_the_instance_allows_it()
    {
        ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local"))).Should().Contain("OLLAMA_NO_CLOUD=1", "Docker environment");
        ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("grey-area"))).Should().Contain("OLLAMA_NO_CLOUD", "NixOS environmentVariables");
        var allowed = Stacks.Parse(BadStackCases.WithInstance("    cloud: true"));
        ProgramEmitter.Emit(Compiler.Compile(allowed)).Should().NotContain("OLLAMA_NO_CLOUD");
    }

    [Fact]
    public void A_local_suffix_is_the_plain_name_everywhere_in_the_stack()
    {
        var yaml = BadStackCases.Valid.Replace("    models:\n", "    models:\n      - qwen2.5:local\n      - { name: mine:LOCAL, from: qwen2.5:local, system: hi }\n", StringComparison.Ordinal);

        var models = Stacks.Parse(yaml).Instances[0].Models;

        models.Select(m => m.Name.Shortest).Should().Contain(["qwen2.5:latest", "mine:latest"]);
        models.Single(m => m.IsCustom).From!.Shortest.Should().Be("qwen2.5:latest");
    }

    [Theory]
    [InlineData("OLLAMA_NEW_ENGINE", "Ollama 0.30.0")]
    [InlineData("OLLAMA_MULTIUSER_CACHE", "Ollama 0.30.0")]
    [InlineData("OLLAMA_INTEL_GPU", "Ollama 0.12.11")]
    public void A_variable_Ollama_no_longer_reads_is_refused_with_the_release_that_removed_it(string variable, string release)
    {
        var yaml = BadStackCases.WithInstance($"    env: {{ {variable}: \"1\" }}");
        var load = () => Stacks.Parse(yaml);

        load.Should().Throw<StackFileException>().Which.Diagnostics.Should().ContainSingle()
            .Which.ToString().Should().Contain(variable).And.Contain(release);
        SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(yaml)).Should().NotBeEmpty("the editor schema refuses what the loader refuses");
        SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(yaml.Replace(variable, "OLLAMA_VULKAN", StringComparison.Ordinal))).Should().BeEmpty();
    }

    [Fact]
    public async Task Use_mmap_True_reaches_Ollama_as_a_JSON_boolean()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");
        var yaml = HookHarness.DirectStack("""
                      - name: lean
                        from: llama3.2:1b
                        warm: True
                        parameters:
                          use_mmap: True
            """);

        var run = await HookHarness.RunAsync(yaml, ollama.Url);

        run.Report.Failures.Should().BeEmpty();
        var create = ollama.RequestsTo("/api/create").Should().ContainSingle().Subject.Body!;
        create["parameters"]!["use_mmap"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.True);
        run.Report.Models.Single(m => m.Name == "lean").Warm.Should().BeTrue();
    }
}
