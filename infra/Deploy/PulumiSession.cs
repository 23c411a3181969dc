using System.Text.Json;

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
        var verb = request.Verb.ToString().ToLowerInvariant();
        var spec = workspace.Load(request.Stack, Targets.Rules);
        var missing = Prerequisites.Missing(Prerequisites.For(spec), tools, workspace.Root);
        if (missing.Count > 0)
        {
            messages.WriteLine($"homelab {verb}: cannot start, {missing.Count} prerequisite(s) missing:");
            foreach (var problem in missing)
            {
                messages.WriteLine($"  - {problem}");
            }

            return ExitCodes.BadInput;
        }

        // Hosts that cannot run what the stack declares stop the deploy here, before Pulumi creates anything.
        if (request.Verb is not PulumiVerb.Destroy)
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

        var backend = ChooseBackend(workspace);
        messages.WriteLine($"homelab {verb}: stack '{request.Stack}', state in {backend.Description}");
        if (backend.Source is BackendSource.LocalDefault)
        {
            if (PulumiBackend.MissingPassphrase(environment) is { } problem)
            {
                messages.WriteLine(problem);
                return ExitCodes.BadInput;
            }

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
            messages.WriteLine($"homelab {verb}: stack '{request.Stack}' needs secret config that is not set: {string.Join(", ", unset)} — set each once (stored encrypted in the stack's config):");
            if (backend.LocalUrl is { } url)
            {
                messages.WriteLine($"  export PULUMI_BACKEND_URL={url}");
            }

            foreach (var key in unset)
            {
                messages.WriteLine($"  pulumi config set --secret {key} '<value>' --stack {request.Stack}");
            }

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
