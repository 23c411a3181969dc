using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>Every Caddyfile the proxy module writes is accepted by <c>caddy validate</c>, and a missing credential is handled as decided.</summary>
public class CaddyfileValidateTests
{
    private static readonly Lazy<Task<string>> Hash = new(() => CaddyProcess.HashPasswordAsync("validate-password"));

    public static TheoryData<string> Examples() => new(Repo.ExampleStacks());

    public static TheoryData<string, string, string> Variants()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var tls in ProxyStacks.Tls.Keys)
        {
            foreach (var auth in ProxyStacks.Auth.Keys)
            {
                data.Add(tls, auth, "several");
            }

            data.Add(tls, "bearer", "one");
        }

        return data;
    }

    [ToolTheory("caddy")]
    [MemberData(nameof(Examples))]
    public async Task Every_example_stack_renders_a_Caddyfile_that_caddy_accepts(string stack)
    {
        var spec = Stacks.Load(stack);

        var run = await ValidateAsync(spec, await DummySecrets(spec.Proxy!.Auth));

        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().Contain("Valid configuration");
    }

    [ToolTheory("caddy")]
    [MemberData(nameof(Variants))]
    public async Task Every_tls_mode_auth_mix_and_route_set_renders_a_Caddyfile_that_caddy_accepts(string tls, string auth, string routes)
    {
        var spec = ProxyStacks.Variant(tls, auth, routes);

        var run = await ValidateAsync(spec, await DummySecrets(spec.Proxy!.Auth));

        run.ExitCode.Should().Be(0, run.Output);
    }

    /// <summary>
    /// Tokens and API keys are read per request, so a file whose token variables are unset still validates; the
    /// end-to-end tests prove it then refuses every request. A basic-auth hash is read when Caddy starts, so an
    /// unset one fails at once with Caddy's own message rather than starting a proxy nobody can log in to.
    /// </summary>
    [ToolTheory("caddy")]
    [InlineData("bearer", true)]
    [InlineData("apiKey", true)]
    [InlineData("basic", false)]
    [InlineData("all", false)]
    public async Task With_credential_variables_unset_caddy_validates_keyed_auth_and_refuses_basic_auth_clearly(string auth, bool valid)
    {
        var spec = ProxyStacks.Variant("off", auth, "one");

        var run = await ValidateAsync(spec, new Dictionary<string, string?>());

        if (valid)
        {
            run.ExitCode.Should().Be(0, run.Output);
        }
        else
        {
            run.ExitCode.Should().NotBe(0);
            run.Output.Should().Contain("username and password are required");
        }
    }

    /// <summary>
    /// The tests run Debian's Caddy, which may predate 'basic_auth' (2.8); the harness then renames that directive
    /// and nothing else, so every other line caddy validates is the one the pinned image runs.
    /// </summary>
    [ToolTheory("caddy")]
    [MemberData(nameof(Examples))]
    public void The_only_change_made_for_the_installed_caddy_is_the_basic_auth_directive_name(string stack)
    {
        var spec = Stacks.Load(stack);
        var written = CaddyProxy.Render(spec, spec.Proxy!, new CaddySite(18080, 18443, instance => $"{instance.Name}:11434", WebuiUpstream: "webui:8080")).Split('\n');

        var adapted = InstalledCaddy.Adapt(string.Join('\n', written)).Split('\n');

        adapted.Should().HaveSameCount(written);
        var changed = written.Zip(adapted).Where(pair => pair.First != pair.Second).ToList();
        if (InstalledCaddy.Version >= new Version(2, 8))
        {
            changed.Should().BeEmpty();
        }
        else
        {
            // One basic_auth directive for the Ollama site, and one more for the chat front end signed in by the proxy.
            changed.Should().HaveCount(spec.Proxy!.Auth.BasicAuth.Count == 0 ? 0 : spec.Webui is { SignIn: SignInMode.Proxy } ? 2 : 1);
            changed.Should().NotContain(pair => !pair.First.Trim().StartsWith("basic_auth ", StringComparison.Ordinal) || pair.Second != pair.First.Replace("basic_auth", "basicauth", StringComparison.Ordinal));
        }
    }

    [ToolFact("caddy")]
    public async Task The_gpu_box_stack_with_its_password_hash_unset_does_not_validate()
    {
        var spec = Stacks.Load("gpu-box");
        var secrets = await DummySecrets(spec.Proxy!.Auth);
        secrets["aliceHash"] = null;

        var run = await ValidateAsync(spec, secrets);

        run.ExitCode.Should().NotBe(0);
        run.Output.Should().Contain("username and password are required");
    }

    private static Task<ProcessResult> ValidateAsync(StackSpec spec, IReadOnlyDictionary<string, string?> secrets)
    {
        var caddyfile = CaddyProxy.Render(spec, spec.Proxy!, new CaddySite(18080, 18443, instance => $"{instance.Name}:11434", "127.0.0.1", "webui:8080"));
        return CaddyProcess.ValidateAsync(caddyfile, CaddyProcess.CredentialVariables(spec.Proxy!.Auth, secrets));
    }

    /// <summary>A value for every secret the stack names: a real bcrypt hash for basic-auth users, a plain token for the rest.</summary>
    private static async Task<Dictionary<string, string?>> DummySecrets(AuthSpec auth)
    {
        var hash = await Hash.Value;
        var hashes = auth.BasicAuth.Select(u => u.PasswordHashSecret).ToHashSet(StringComparer.Ordinal);
        return auth.SecretKeys().Distinct(StringComparer.Ordinal).ToDictionary(k => k, k => (string?)(hashes.Contains(k) ? hash : $"dummy-{k}"), StringComparer.Ordinal);
    }
}
