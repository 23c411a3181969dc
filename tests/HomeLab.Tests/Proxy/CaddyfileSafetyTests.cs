using System.Text;
using System.Text.RegularExpressions;

using HomeLab.Conventions;
using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>
/// Nothing from a stack file reaches the Caddyfile unless it has the strict shape of its kind: hostile values are
/// refused by the loader with their position, the renderer refuses them again, and what it writes stays within a
/// small character set.
/// </summary>
public partial class CaddyfileSafetyTests
{
    /// <summary>A stack using every value the proxy writes; each «field» is replaced by a YAML scalar.</summary>
    private const string Template = """
        hosts:
          local:
            kind: docker
            engine: local
            address: 127.0.0.1
        instances:
          «instance»:
            host: local
            models:
              - «model»
        proxy:
          host: local
          domain: «domain»
          tls: acme
          acmeEmail: «email»
          bind: «bind»
          auth:
            bearerTokens: [«token»]
            apiKeys:
              header: «header»
              keys: [keyA]
            basicAuth:
              - user: «user»
                passwordHash: «hash»
          routes:
            - { prefix: «prefix», to: [«target»] }
        """;

    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["instance"] = "ollama",
        ["model"] = "llama3.2:1b",
        ["domain"] = "ollama.example.org",
        ["email"] = "ops@example.org",
        ["bind"] = "127.0.0.1",
        ["token"] = "tokenA",
        ["header"] = "X-API-Key",
        ["user"] = "alice",
        ["hash"] = "aliceHash",
        ["prefix"] = "/coder",
        ["target"] = "ollama",
    };

    /// <summary>How each field wraps a hostile fragment so that the rest of the value looks legitimate.</summary>
    private static readonly Dictionary<string, Func<string, string>> Shapes = new()
    {
        ["instance"] = h => "ollama" + h,
        ["model"] = h => "llama3.2:" + h,
        ["domain"] = h => "ollama." + h + ".org",
        ["email"] = h => "ops" + h + "@example.org",
        ["bind"] = h => "127.0.0.1" + h,
        ["token"] = h => "token" + h,
        ["header"] = h => "X-" + h,
        ["user"] = h => "alice" + h,
        ["hash"] = h => "aliceHash" + h,
        ["prefix"] = h => "/" + h,
        ["target"] = h => "ollama" + h,
    };

    private static readonly string[] Hostile = ["\"}", "'", "{$HOME}", "{env.HOME}", "}", "{", " x", "\nroute {", "\t", "`", ";", "#", "*", "\\", "\u00e9", "\r\n"];

    public static TheoryData<string, string> HostileValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in Defaults.Keys)
        {
            foreach (var fragment in Hostile)
            {
                data.Add(field, fragment);
            }
        }

        return data;
    }

    [Fact]
    public void The_template_with_its_defaults_is_a_valid_stack()
    {
        var spec = Stacks.Parse(Fill([]));

        spec.Proxy!.Routes.Should().ContainSingle(r => r.Prefix == "/coder");
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void A_hostile_value_is_refused_with_its_position(string field, string fragment)
    {
        var value = Shapes[field](fragment);
        var yaml = Fill(new() { [field] = value });
        var (line, column) = Position(yaml, field, value);

        var load = () => Stacks.Parse(yaml);

        var diagnostics = load.Should().Throw<StackFileException>().Which.Diagnostics;
        diagnostics.Should().Contain(d => d.At.Line == line && d.At.Column == column,
            $"the {field} value {Quote(value)} must be reported where it is written (line {line}, column {column}); got:\n{string.Join('\n', diagnostics)}");
        diagnostics.Should().OnlyContain(d => d.ToString().StartsWith($"stacks/test.yaml:{d.At.Line}:{d.At.Column}: ", StringComparison.Ordinal) && d.ToString().Contains(" — ", StringComparison.Ordinal));
    }

    public static TheoryData<string> TlsModes() => new("off", "internal", "acme");

    [Theory]
    [MemberData(nameof(TlsModes))]
    public void The_Caddyfile_of_a_maximal_stack_holds_only_expected_characters(string tls)
    {
        var spec = Maximal(tls);
        var caddyfile = CaddyProxy.Render(spec, spec.Proxy!, new CaddySite(80, 443, instance => $"{instance.Name}:11434", WebuiUpstream: "webui:8080"));
        var credentials = spec.Proxy!.Auth.Credentials().Select(c => c.Variable).ToHashSet(StringComparer.Ordinal);

        var unexpected = caddyfile.Split('\n')
            .Where(line => !CommentLine().IsMatch(line) && !KeyedMatcherLine().IsMatch(line) && !WrongHostLine().IsMatch(line) && !PathMatcherLine().IsMatch(line) && !UnloggedHeaderLine().IsMatch(line) && !PlainLine().IsMatch(line))
            .ToList();
        var placeholders = Placeholder().Matches(caddyfile).Select(m => m.Value).Distinct().ToList();

        unexpected.Should().BeEmpty($"every line is plain or one of the known shapes:\n{caddyfile}");
        caddyfile.Should().NotContain("{$", "parse-time substitution would splice secrets into the syntax");
        var variables = placeholders.Where(p => p.StartsWith("{env.", StringComparison.Ordinal)).Select(p => p[5..^1]).ToList();
        placeholders.Except(variables.Select(v => $"{{env.{v}}}")).Should().OnlyContain(p => p == "{upstream_hostport}" || p == "{uri}" || p == "{http.request.uri}" || p.StartsWith("{http.request.header.", StringComparison.Ordinal));
        variables.Should().BeEquivalentTo(credentials, "the file reads exactly the credential variables the container is given");
        caddyfile.Count(c => c == '{').Should().Be(caddyfile.Count(c => c == '}'));
    }

    [Fact]
    public void The_renderer_refuses_values_that_bypassed_validation()
    {
        var spec = Maximal("acme");
        var proxy = spec.Proxy!;
        var site = new CaddySite(80, 443, instance => $"{instance.Name}:11434", WebuiUpstream: "webui:8080");
        var bad = new (string What, ProxySpec Proxy, CaddySite Site)[]
        {
            ("domain", proxy with { Domain = "ollama.lan {" }, site),
            ("acmeEmail", proxy with { AcmeEmail = "ops@example.org\n}" }, site),
            ("bind", proxy with { Bind = "0.0.0.0 :1" }, site),
            ("header", proxy with { Auth = proxy.Auth with { ApiKeys = new ApiKeyAuth("X-Key\"", ["keyA"]) } }, site),
            ("token key", proxy with { Auth = proxy.Auth with { BearerTokenSecrets = ["t}"] } }, site),
            ("user", proxy with { Auth = proxy.Auth with { BasicAuth = [new BasicAuthUser("al ice", "aliceHash")] } }, site),
            ("hash key", proxy with { Auth = proxy.Auth with { BasicAuth = [new BasicAuthUser("alice", "{$X}")] } }, site),
            ("prefix", proxy with { Routes = [proxy.Routes[0] with { Prefix = "/a/*" }] }, site),
            ("upstream", proxy, site with { Upstream = _ => "127.0.0.1:1 {" }),
            ("site bind", proxy, site with { Bind = "*" }),
        };

        foreach (var (what, hostile, hostileSite) in bad)
        {
            var render = () => CaddyProxy.Render(spec, hostile, hostileSite);
            render.Should().Throw<ArgumentException>(what).WithMessage("*is not safe to write into a Caddyfile*");
        }
    }

    [Fact]
    public void Credential_variables_keep_the_case_of_their_secret_keys_so_distinct_keys_never_share_one()
    {
        var auth = new AuthSpec(["ciToken", "CITOKEN"], new ApiKeyAuth("X-API-Key", ["ciToken"]), [new BasicAuthUser("alice", "aliceHash"), new BasicAuthUser("bob", "aliceHash")]);

        auth.Credentials().Should().Equal(
            new CredentialVariable("HOMELAB_BEARER_ciToken", "ciToken"),
            new CredentialVariable("HOMELAB_BEARER_CITOKEN", "CITOKEN"),
            new CredentialVariable("HOMELAB_APIKEY_ciToken", "ciToken"),
            new CredentialVariable("HOMELAB_BASIC_aliceHash", "aliceHash"));
    }

    /// <summary>Every auth kind, several routes and instances, and names using every character their patterns allow.</summary>
    private static StackSpec Maximal(string tls) => Stacks.Parse($$"""
        hosts:
          edge:
            kind: docker
            engine: local
            address: 127.0.0.1
        instances:
          ollama-a:
            host: edge
          ollama-b:
            host: edge
          embed-1:
            host: edge
        proxy:
          host: edge
          domain: ollama-1.lab-2.example.org
          tls: {{tls}}
          acmeEmail: o.p_s-1@mail.example.org
          bind: 192.168.10.20
          auth:
            bearerTokens: [ci_Token1, laptop2]
            apiKeys:
              header: X-Api-Key-2
              keys: [key_A, keyB9]
            basicAuth:
              - { user: a.b_c@d-e, passwordHash: hash_One }
              - { user: Bob, passwordHash: hashTwo }
          routes:
            - { to: [ollama-a, ollama-b], balance: least_conn }
            - { prefix: /a.b_c-9, to: [embed-1], balance: random }
            - { prefix: /coder, to: [ollama-b, embed-1, ollama-a], balance: first }
        """);

    private static string Fill(Dictionary<string, string> values)
    {
        var yaml = Template;
        foreach (var (field, fallback) in Defaults)
        {
            yaml = yaml.Replace($"«{field}»", values.TryGetValue(field, out var value) ? Quote(value) : fallback, StringComparison.Ordinal);
        }

        return yaml;
    }

    /// <summary>
    /// Where the loader should point: at the value itself, except for a readable route target naming no instance,
    /// which it reports at its route.
    /// </summary>
    private static (int Line, int Column) Position(string yaml, string field, string value)
    {
        var lines = yaml.Split('\n');
        var atRoute = field == "target" && !value.Any(char.IsControl);
        var anchor = atRoute ? "{ prefix" : Quote(value);
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf(anchor, StringComparison.Ordinal);
            if (at >= 0)
            {
                return (i + 1, at + 1);
            }
        }

        throw new InvalidOperationException($"{anchor} is not in the stack");
    }

    /// <summary>A YAML double-quoted scalar holding exactly <paramref name="value"/>.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    [GeneratedRegex(@"^(# HomeLab proxy for stack '[a-z][a-z0-9-]*', generated from its stack file; edit that, not this\.|# Credentials are read from the environment at request time; this file holds no secret\.)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^\t@no_valid_key expression ""!\(\(\{env\.HOMELAB_(BEARER|APIKEY)_[A-Za-z0-9_]+\} != '' && \{http\.request\.header\.[A-Za-z0-9-]+\} == ('Bearer ' \+ )?\{env\.HOMELAB_(BEARER|APIKEY)_[A-Za-z0-9_]+\}\)( \|\| \(\{env\.HOMELAB_(BEARER|APIKEY)_[A-Za-z0-9_]+\} != '' && \{http\.request\.header\.[A-Za-z0-9-]+\} == ('Bearer ' \+ )?\{env\.HOMELAB_(BEARER|APIKEY)_[A-Za-z0-9_]+\}\))*\)""$")]
    private static partial Regex KeyedMatcherLine();

    [GeneratedRegex(@"^\trespond ""this proxy answers only to [A-Za-z0-9.-]+"" 421$")]
    private static partial Regex WrongHostLine();

    [GeneratedRegex(@"^(\t@not_ollama not path_regexp \^/\(api\|v1\)/|\t@encoded_separator expression ""\{http\.request\.uri\}\.matches\('\^\[\^\?\]\*%\(2\[fF\]\|5\[cC\]\)'\)""|\t@route_[0-9]+ path_regexp \^/([a-z0-9_-]|\[\.\])+/)$")]
    private static partial Regex PathMatcherLine();

    [GeneratedRegex(@"^\t\t\t\trequest>headers>[A-Z][a-z0-9]*(-[A-Z0-9][a-z0-9]*)* delete$")]
    private static partial Regex UnloggedHeaderLine();

    [GeneratedRegex(@"^[A-Za-z0-9 \t./:_@{}*-]*$")]
    private static partial Regex PlainLine();

    [GeneratedRegex(@"\{[A-Za-z_][A-Za-z0-9_.-]*\}")]
    private static partial Regex Placeholder();
}
