using HomeLab.Program;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>
/// The validator is only worth its green tick if it fails on the mistakes a module could make. Each case edits
/// the compiled 'local' example in one place and names the one error that must come out.
/// </summary>
public class BrokenProgramTests
{
    private static readonly string Local = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local")));

    public static TheoryData<string, string, string, string> Mutations() => new()
    {
        {
            "misspelled property", "      memory: 6144\n", "      memroy: 6144\n",
            "resource 'ollama-container' properties.memroy: 'memroy' is not one of the inputs of docker:index/container:Container; did you mean 'memory'?"
        },
        {
            "string where the schema wants an integer", "      memory: 6144\n", "      memory: \"lots\"\n",
            "resource 'ollama-container' properties.memory: expected an integer, got \"lots\" (a string)"
        },
        {
            "quoted number where the schema wants an integer", "      memory: 6144\n", "      memory: \"6144\"\n",
            "resource 'ollama-container' properties.memory: expected an integer, got \"6144\" (a string)"
        },
        {
            "fraction where the schema wants an integer", "      memory: 6144\n", "      memory: 6144.5\n",
            "resource 'ollama-container' properties.memory: expected an integer, got 6144.5 (a number)"
        },
        {
            "text where the schema wants a boolean", "      internal: true\n", "      internal: yes-please\n",
            "resource 'local-internal-net' properties.internal: expected true or false, got \"yes-please\" (a string)"
        },
        {
            // YAML 1.1 reads 'yes' as true; go-yaml v3, and so Pulumi, reads it as a string.
            "YAML 1.1 boolean", "      internal: true\n", "      internal: yes\n",
            "resource 'local-internal-net' properties.internal: expected true or false, got \"yes\" (a string)"
        },
        {
            "unquoted number in a map of strings", "        max-file: \"3\"\n", "        max-file: 3\n",
            "resource 'ollama-container' properties.logOpts.max-file: expected a string, got 3 (a number)"
        },
        {
            "missing required input", "      image: ${local-ollama-ollama-0-32-15-image.imageId}\n", "",
            "resource 'ollama-container' properties: required property 'image' is missing"
        },
        {
            "dangling reference", "      - name: ${local-internal-net.name}\n        aliases:", "      - name: ${nope.name}\n        aliases:",
            "resource 'ollama-container' properties.networksAdvanced[0].name: ${nope.name}: 'nope' is not a declared config key, variable or resource"
        },
        {
            "reference to a property the resource does not output", "      - name: ${local-internal-net.name}\n        aliases:", "      - name: ${local-internal-net.bogus}\n        aliases:",
            "resource 'ollama-container' properties.networksAdvanced[0].name: ${local-internal-net.bogus}: 'bogus' is not an output property of docker:index/network:Network"
        },
        {
            "reference into a string output", "      image: ${local-ollama-ollama-0-32-15-image.imageId}\n", "      image: ${local-ollama-ollama-0-32-15-image.imageId.digest}\n",
            "resource 'ollama-container' properties.image: ${local-ollama-ollama-0-32-15-image.imageId.digest}: cannot read .digest on local-ollama-ollama-0-32-15-image.imageId, which is of type string"
        },
        {
            "unterminated interpolation", "      - name: ${local-internal-net.name}\n        aliases:", "      - name: ${local-internal-net.name\n        aliases:",
            "resource 'ollama-container' properties.networksAdvanced[0].name: '${local-internal-net.name' is not a valid interpolation: unterminated interpolation"
        },
        {
            "config key read as an object", "HOMELAB_BEARER_localToken=${localToken}", "HOMELAB_BEARER_localToken=${localToken.value}",
            "resource 'proxy' properties.envs[0]: ${localToken.value}: config 'localToken' is a string; it has no properties or items"
        },
        {
            "unknown resource type", "    type: docker:Network\n", "    type: docker:Netwrok\n",
            "resource 'local-internal-net' type: unknown resource type 'docker:Netwrok': neither the docker nor the command package schema declares it"
        },
        {
            "unknown resource option", "    options:\n      version: 5.1.0\n", "    options:\n      versoin: 5.1.0\n",
            "resource 'local-internal-net' options.versoin: 'versoin' is not a known resource option; did you mean 'version'?"
        },
        {
            "version that is not a semantic version", "    options:\n      version: 5.1.0\n", "    options:\n      version: 5\n",
            "resource 'local-internal-net' options.version: must be a plain semantic version string such as 5.1.0, not 5 (a number)"
        },
        {
            "dependsOn that is not a list", "      dependsOn:\n      - ${ollama-container}\n", "      dependsOn: ${ollama-container}\n",
            "resource 'proxy' options.dependsOn: must be a list, not \"${ollama-container}\" (a string)"
        },
        {
            "dependsOn on an output instead of a resource", "      dependsOn:\n      - ${ollama-container}\n", "      dependsOn:\n      - ${ollama-container.name}\n",
            "resource 'proxy' options.dependsOn[0]: must be a reference to a resource such as ${name}, not \"${ollama-container.name}\" (a string)"
        },
        {
            "provider that is not a provider", "      dependsOn:\n      - ${ollama-container}\n", "      provider: ${local-internal-net}\n",
            "resource 'proxy' options.provider: 'local-internal-net' is not a provider resource (type pulumi:providers:*)"
        },
        {
            "nested type error in healthcheck", "        retries: 3\n      wait: true\n", "        retries: three\n      wait: true\n",
            "resource 'ollama-container' properties.healthcheck.retries: expected an integer, got \"three\" (a string)"
        },
        {
            "misspelled field in a nested type", "        protocol: tcp\n", "        protocl: tcp\n",
            "resource 'proxy' properties.ports[0].protocl: 'protocl' is not one of the fields of docker:index/ContainerPort:ContainerPort; did you mean 'protocol'?"
        },
        {
            "missing required field in a nested type", "      - internal: 8080\n        external: 8080\n", "      - external: 8080\n",
            "resource 'proxy' properties.ports[0]: required property 'internal' is missing"
        },
        {
            "list where the schema wants a mapping", "      healthcheck:\n        tests:", "      healthcheck:\n      - tests:",
            "resource 'ollama-container' properties.healthcheck: expected a mapping, got a list"
        },
        {
            "invalid config type", "    type: string\n    secret: true\n", "    type: array\n    secret: true\n",
            "config 'localToken' type: \"array\" (a string) is not a config type; use string, integer, boolean, number, object or List<T> (any capitalisation)"
        },
        {
            "config secret flag that is not a boolean", "    type: string\n    secret: true\n", "    type: string\n    secret: \"true\"\n",
            "config 'localToken' secret: must be true or false, not \"true\" (a string)"
        },
        {
            "YAML alias, which Pulumi YAML refuses", "      memory: 6144\n      memorySwap: 6144\n", "      memory: &mem 6144\n      memorySwap: *mem\n",
            "program: uses the YAML alias '*mem', and Pulumi YAML refuses aliases"
        },
        {
            "function where the schema wants an object", "      healthcheck:\n        tests:\n        - CMD\n        - ollama\n        - list\n        interval: 30s\n        timeout: 10s\n        startPeriod: 1m0s\n        retries: 3\n",
            "      healthcheck:\n        fn::toJSON: { tests: [CMD] }\n",
            "resource 'ollama-container' properties.healthcheck: expected a mapping, got a fn::tojson call"
        },
        {
            "unknown top-level section", "resources:\n", "runtime: yaml\nresources:\n",
            "program runtime: 'runtime' is not a known top-level section"
        },
        {
            "output that reads an undeclared resource", "  proxyUrl: http://localhost:8080\n", "  proxyUrl: http://${caddy.name}:8080\n",
            "output 'proxyUrl': ${caddy.name}: 'caddy' is not a declared config key, variable or resource"
        },
        {
            "dependency cycle", "      - label: homelab.host\n        value: local\n    options:\n      version: 5.1.0\n  local-egress-net:",
            "      - label: homelab.host\n        value: ${proxy.name}\n    options:\n      version: 5.1.0\n  local-egress-net:",
            "program: dependency cycle: local-internal-net -> proxy -> local-internal-net"
        },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_broken_program_is_rejected_with_one_precise_error(string mistake, string from, string to, string expected)
    {
        Local.Should().Contain(from, "the '{0}' case must edit text that the compiled local example contains", mistake);
        var index = Local.IndexOf(from, StringComparison.Ordinal);
        var broken = string.Concat(Local.AsSpan(0, index), to, Local.AsSpan(index + from.Length));

        var errors = ProgramValidator.Validate(broken).Select(e => e.ToString()).ToList();

        errors.Should().ContainSingle("{0} must give exactly one error, got:\n{1}", mistake, string.Join("\n", errors))
            .Which.Should().StartWith(expected);
    }

    [Fact]
    public void References_Pulumi_allows_are_accepted()
    {
        var program = Local.Replace("  proxyUrl: http://localhost:8080\n",
            "  proxyUrl: http://localhost:8080\n  ids: ${ollama-container.id} ${ollama-container.urn} ${pulumi.stack}\n  port: ${proxy.ports[0].external}\n" +
            "  token: ${homelab:localToken}\n  label: ${ollama-container.labels[1].value}\n  literal: $${not.a.reference}\n", StringComparison.Ordinal);

        ProgramValidator.Validate(program).Should().BeEmpty();
    }

    [Fact]
    public void Text_that_is_not_YAML_is_reported_not_thrown()
    {
        var errors = ProgramValidator.Validate("resources:\n  a: [unclosed\n");

        errors.Should().ContainSingle().Which.Problem.Should().StartWith("is not valid YAML");
    }
}
