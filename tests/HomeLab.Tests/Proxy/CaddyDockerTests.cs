using System.Text.Json;

using HomeLab.Contracts;
using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Program;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>The Caddy container in the compiled program: inputs the Docker provider knows, credentials only as secret config references.</summary>
public class CaddyDockerTests
{
    private const string ContainerToken = "docker:index/container:Container";

    /// <summary>Example stacks whose proxy runs in Docker (grey-area's runs as a NixOS service).</summary>
    public static TheoryData<string> Examples() =>
        new(Repo.ExampleStacks().Where(name => Stacks.Load(name) is { Proxy: { } proxy } spec && spec.Host(proxy.Host) is HomeLab.Spec.DockerHostSpec));

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_proxy_container_uses_only_inputs_of_the_docker_provider_schema(string stack)
    {
        var container = ProxyContainer(stack);

        var problems = Check(ProviderContract.Docker.Resources[ContainerToken].Inputs, container.Properties, "proxy-container").ToList();

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_proxy_container_gets_each_credential_from_secret_config_and_publishes_its_listeners_on_the_same_ports(string stack)
    {
        var spec = Stacks.Load(stack);
        var proxy = spec.Proxy!;
        var program = Compiler.Compile(spec);
        var container = program.Resources.Single(r => r.Name == "proxy");

        var envs = ((ListValue)container.Properties["envs"]!).Items.Cast<Interpolation>().ToList();
        var ports = ((ListValue)container.Properties["ports"]!).Items.Cast<MapValue>().ToList();
        var volume = ((ListValue)container.Properties["volumes"]!).Items.Cast<MapValue>().Single();
        var upload = ((ListValue)container.Properties["uploads"]!).Items.Cast<MapValue>().Single();

        envs.Select(e => ((string)e.Parts[0], ((Ref)e.Parts[1]).Name)).Should().BeEquivalentTo(
            proxy.Auth.Credentials().Select(c => ($"{c.Variable}=", c.SecretKey)));
        program.Config.Where(c => c.Secret).Select(c => c.Name).Should().Contain(proxy.Auth.SecretKeys());
        ports.Should().OnlyContain(p => p["internal"] == p["external"] && p["ip"] == new Text(proxy.Bind));
        ports.Select(p => ((Number)p["external"]!).Value).Should().Equal(
            proxy.Tls is HomeLab.Spec.TlsMode.Off ? [proxy.HttpPort] : [proxy.HttpPort, proxy.HttpsPort]);
        volume["containerPath"].Should().Be(new Text(CaddyProxy.DataPath));
        upload["file"].Should().Be(new Text(CaddyProxy.CaddyfilePath));
        var caddyfile = ((Text)upload["content"]!).Value;
        caddyfile.Should().NotContain("bind ", "inside the container Caddy listens on every interface; Docker publishes only on proxy.bind");
        caddyfile.Should().Contain(proxy.Tls is HomeLab.Spec.TlsMode.Off ? $"http://{proxy.Domain}:{proxy.HttpPort} {{" : $"{proxy.Domain}:{proxy.HttpsPort} {{");
    }

    private static Resource ProxyContainer(string stack) =>
        Compiler.Compile(Stacks.Load(stack)).Resources.Single(r => r.Name == "proxy" && r.Type == "docker:Container");

    /// <summary>Property names, and the names inside nested objects and lists of objects, against the schema (following $ref).</summary>
    private static IEnumerable<string> Check(JsonElement properties, MapValue map, string path)
    {
        foreach (var (key, value) in map.Entries)
        {
            if (!properties.TryGetProperty(key, out var property))
            {
                yield return $"{path}.{key} is not in the schema";
                continue;
            }

            var element = property.TryGetProperty("items", out var items) ? items : property;
            var nested = value switch
            {
                MapValue m => [m],
                ListValue l => l.Items.OfType<MapValue>().ToList(),
                _ => [],
            };
            if (nested.Count == 0 || !element.TryGetProperty("$ref", out var reference))
            {
                continue;
            }

            var type = ProviderContract.Docker.Reference(reference.GetString()!)!.Value;
            var required = type.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            foreach (var item in nested)
            {
                foreach (var missing in required.Where(name => item[name] is null))
                {
                    yield return $"{path}.{key} lacks required '{missing}'";
                }

                foreach (var problem in Check(type.GetProperty("properties"), item, $"{path}.{key}"))
                {
                    yield return problem;
                }
            }
        }
    }
}
