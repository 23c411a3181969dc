using System.Globalization;
using System.Text;

using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Modules.Hooks;

/// <summary>
/// Runs <c>homelab hooks</c> for an instance once it and its proxy exist: a <c>command:local:Command</c> on the
/// machine running Pulumi. It runs again when the instance is replaced or its declared models change, takes the
/// proxy credential from secret config as environment, and its stdout (the JSON report) becomes a stack output.
/// Host-agnostic: a Docker or NixOS module passes what changes on replacement and what must exist first.
/// </summary>
internal static class PostDeployHooks
{
    /// <param name="replacedWhen">A value that changes whenever the instance is replaced, e.g. its container id.</param>
    /// <param name="readyAfter">Resources that must exist before the hooks can reach the instance (instance, proxy).</param>
    public static Resource? Add(ProgramBuilder program, StackSpec spec, InstanceSpec instance, Value replacedWhen, IReadOnlyList<Ref> readyAfter)
    {
        if (!spec.Hooks.Enabled)
        {
            return null;
        }

        var plan = HookPlan.For(spec, instance);
        // The proxy credential, and the front end's admin password when verify signs in to it as the admin (sign-in mode webui).
        var variables = new[] { plan.Credential, plan.Webui?.AdminPassword }.OfType<CredentialVariable>()
            .Select(v => (v.Variable, (Value?)program.Secret(v.SecretKey)))
            .ToArray();
        var environment = variables.Length > 0 ? new MapValue(variables) : null;
        var hooks = program.Add($"{instance.Name}-hooks", "command:local:Command", new MapValue(
            ("create", CommandLine(spec, instance)),
            ("environment", environment),
            ("triggers", new ListValue(replacedWhen, ModelsDigest(instance))),
            // The previous report would only bloat the environment of the next run.
            ("addPreviousOutputInEnv", false),
            // Progress and the summary are on stderr; the report on stdout is the stack output, not a log.
            ("logging", "stderr")),
            new ResourceOptions(DependsOn: readyAfter, Version: Pins.CommandProvider));
        program.Output($"{instance.Name}Hooks", hooks.Output("stdout"));
        return hooks;
    }

    /// <summary>
    /// The command Pulumi runs from the project root: the built program started directly (the compiler has just
    /// made sure the build is current).
    /// </summary>
    public static string CommandLine(StackSpec spec, InstanceSpec instance) => HookRouting.CommandLine(spec.Name, instance.Name);

    /// <summary>A digest of everything the hooks act on for this instance; a change re-runs them.</summary>
    public static string ModelsDigest(InstanceSpec instance)
    {
        var text = new StringBuilder();
        text.Append("removeUndeclared=").Append(instance.RemoveUndeclared ? "true" : "false").Append('\n');
        text.Append("keepAlive=").Append(instance.Tuning.KeepAlive ?? "").Append('\n');
        if (instance.Replicas != 1)
        {
            // A new replica starts with an empty volume: scaling re-runs the hooks, which pull on every replica. (Only
            // when not 1, so the digest of an instance that runs one stays what it was.)
            text.Append("replicas=").Append(instance.Replicas.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (var model in instance.Models)
        {
            text.Append("model=").Append(model.Name.Shortest)
                .Append(" kind=").Append(SpecShape.ModelKinds.Of(model.Kind))
                .Append(" warm=").Append(model.Warm ? "true" : "false");
            if (model.IsCustom)
            {
                text.Append(' ').Append(ModelDefinition.Hash(model));
            }

            text.Append('\n');
        }

        return ContentDigest.Of(text.ToString());
    }
}
