using System.Text.Json;

using HomeLab.Conventions;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Deploy;

/// <summary>
/// Runs Pulumi for a stack the way a new operator needs it: prerequisites checked first, a local state backend
/// when none is configured, the stack created on first use, secrets that are not set named with the command that
/// sets them. Pulumi itself then runs on the operator's terminal and its exit code is the result.
/// </summary>
internal sealed class PulumiSession(IToolRunner tools, IReadOnlyDictionary<string, string?> environment, TextWriter messages)
{
    private static readonly TimeSpan QuickCommand = TimeSpan.FromMinutes(2);

    public int Run(ProjectDirectory workspace, PulumiRequest request)
    {
        var verb = PulumiVerbWords.Of(request.Verb);
        var spec = workspace.Load(request.Stack, Targets.Rules);
        // Everything missing is reported in one pass: the tools, the passphrase, the secrets.
        var missing = new List<string>(Prerequisites.Missing(Prerequisites.For(spec), tools, workspace.Root));
        var pulumi = tools.Find("pulumi") is not null;

        // Hosts that cannot run what the stack declares stop the deploy here, before Pulumi creates anything.
        if (request.Verb is not PulumiVerb.Destroy && missing.Count == 0)
        {
            var preflight = HostPreflight.Run(spec, File.ReadAllText(workspace.StackPath(request.Stack)), tools, workspace.Root);
            if (!preflight.Passed)
            {
                messages.WriteLine($"homelab {verb}: stack '{request.Stack}' does not fit its host(s); nothing was deployed:");
                preflight.WriteTo(messages);
                return preflight.Problems.Count > 0 ? ExitCodes.BadInput : ExitCodes.Failed;
            }

            foreach (var warning in preflight.Warnings)
            {
                messages.WriteLine(warning);
            }
        }

        // Without pulumi there is no login to ask about: the backend is then the local one unless the environment names another.
        var backend = pulumi ? ChooseBackend(workspace) : PulumiBackend.Choose(environment, workspace.Root, () => (false, "pulumi is not installed"), hasCredentialsFile: false);
        if (backend.Source is BackendSource.LocalDefault && PulumiBackend.MissingPassphrase(environment) is { } passphrase)
        {
            missing.Add(passphrase);
        }

        // Pulumi is asked about the secrets once it can run (below); until then the stack's config file answers.
        if (request.Verb is not PulumiVerb.Destroy && missing.Count > 0 && UnsetSecretsInFile(workspace, spec) is { Count: > 0 } unsetInFile)
        {
            missing.Add(UnsetSecretsMessage(unsetInFile, request.Stack));
        }

        if (missing.Count > 0)
        {
            messages.WriteLine($"homelab {verb}: cannot start yet, {missing.Count} thing(s) to do first:");
            foreach (var problem in missing)
            {
                messages.WriteLine($"  - {problem}");
            }

            return ExitCodes.BadInput;
        }

        messages.WriteLine($"homelab {verb}: stack '{request.Stack}', state in {backend.Description}");
        if (backend.Source is BackendSource.LocalDefault)
        {
            Directory.CreateDirectory(Path.Combine(workspace.Root, PulumiBackend.StateFolder));
            messages.WriteLine($"homelab: to run pulumi yourself against this state: export PULUMI_BACKEND_URL={backend.LocalUrl}");
        }

        var select = Pulumi(workspace, backend, request.Stack, request.Verb is PulumiVerb.Destroy
            ? ["stack", "select", request.Stack, "--non-interactive"]
            : ["stack", "select", "--create", request.Stack, "--non-interactive"]);
        var selected = tools.Capture(select, QuickCommand);
        if (!selected.Succeeded)
        {
            messages.Write(selected.Error);
            messages.WriteLine(request.Verb is PulumiVerb.Destroy
                ? $"homelab destroy: stack '{request.Stack}' has no state in {backend.Description}, so there is nothing to destroy there"
                : $"homelab {verb}: could not select or create stack '{request.Stack}' (pulumi stack select --create)");
            return selected.ExitCode > 0 ? selected.ExitCode : ExitCodes.Failed;
        }

        if (request.Verb is not PulumiVerb.Destroy && UnsetSecrets(workspace, backend, spec.SecretKeys(), request.Stack) is { Count: > 0 } unset)
        {
            messages.WriteLine($"homelab {verb}: {UnsetSecretsMessage(unset, request.Stack)}");
            return ExitCodes.BadInput;
        }

        string[] arguments = [verb, "--stack", request.Stack, .. request.Yes ? ["--yes"] : Array.Empty<string>(), .. request.PulumiArguments];
        return tools.Run(Pulumi(workspace, backend, request.Stack, arguments));
    }

    /// <summary>The backend the operator's environment names, asking pulumi whoami only when none is configured.</summary>
    public PulumiBackend ChooseBackend(ProjectDirectory workspace) =>
        PulumiBackend.Choose(environment, workspace.Root, () => Whoami(workspace), File.Exists(PulumiBackend.CredentialsFile(environment)));

    private (bool Ok, string Error) Whoami(ProjectDirectory workspace)
    {
        var result = tools.Capture(new ToolCall("pulumi", workspace.Root, "whoami", "--non-interactive"), QuickCommand);
        return (result.Succeeded, result.Error);
    }

    private static string UnsetSecretsMessage(IReadOnlyList<string> unset, string stack) =>
        $"stack '{stack}' needs secret config that is not set: {string.Join(", ", unset)} — run: {SecretCommands.SetMissing(stack)} " +
        "(generates tokens and keys, asks for each basic-auth password without echo, stores them encrypted)";

    /// <summary>Secret keys the stack names that stacks/Pulumi.&lt;stack&gt;.yaml does not hold, for when pulumi cannot be asked.</summary>
    private List<string> UnsetSecretsInFile(ProjectDirectory workspace, Spec.StackSpec spec)
    {
        var config = StackSecretConfig.Read(workspace, spec.Name, key => environment.GetValueOrDefault(key));
        return spec.SecretKeys().Where(key => config?.State(key) is not SecretState.Set).ToList();
    }

    /// <summary>Secret keys the stack names that its Pulumi config lacks; empty when the config cannot be read (Pulumi will say why).</summary>
    private List<string> UnsetSecrets(ProjectDirectory workspace, PulumiBackend backend, IReadOnlyList<string> keys, string stack)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var result = tools.Capture(Pulumi(workspace, backend, stack, ["config", "--json", "--stack", stack, "--non-interactive"]), QuickCommand);
        if (!result.Succeeded)
        {
            return [];
        }

        try
        {
            using var config = JsonDocument.Parse(result.Output);
            var set = config.RootElement.EnumerateObject().Select(p => p.Name[(p.Name.IndexOf(':', StringComparison.Ordinal) + 1)..]).ToHashSet(StringComparer.Ordinal);
            return keys.Where(k => !set.Contains(k)).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// Pulumi with '--stack' and PULUMI_STACK both naming the requested stack: pulumi-yaml starts the compiler with
    /// its own PULUMI_STACK followed by the whole process environment (pkg/pulumiyaml/run.go, LoadFromCompiler:
    /// cmd.Env = append(env, os.Environ()...)), so an exported PULUMI_STACK would otherwise win and compile another stack.
    /// </summary>
    public static ToolCall Pulumi(ProjectDirectory workspace, PulumiBackend backend, string stack, IReadOnlyList<string> arguments) =>
        new("pulumi", arguments, new Dictionary<string, string>(backend.ChildEnvironment, StringComparer.Ordinal) { ["PULUMI_STACK"] = stack }, workspace.Root);
}
