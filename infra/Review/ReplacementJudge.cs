using HomeLab.Program;

namespace HomeLab.Review;

/// <summary>
/// Decides for every changed resource whether deploying replaces it or updates it in place, the way the Pulumi
/// engine does: the provider's rules for each changed property (<see cref="IReplacementRules"/>), the resource's own
/// <c>replaceOnChanges</c> and <c>ignoreChanges</c> options, and dependents of a replaced resource, whose inputs
/// that refer to it change with it. Pure.
/// </summary>
internal static class ReplacementJudge
{
    public static StackDiff Judge(StackDiff diff, PulumiProgram? before, PulumiProgram? after, IReplacementRules rules)
    {
        var afterByName = (after?.Resources ?? []).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var judged = diff.Resources.Select(r => r with
        {
            Verdict = r.Kind switch
            {
                ChangeKind.Added => new Verdict(Effect.Create),
                ChangeKind.Removed => new Verdict(Effect.Delete),
                _ => OwnChanges(r, afterByName.GetValueOrDefault(r.Name)?.Options, rules),
            },
        }).ToList();
        return diff with { Resources = Dependents(judged, before, after, rules) };
    }

    private static Verdict OwnChanges(ResourceChange change, ResourceOptions? options, IReplacementRules rules)
    {
        var replacing = new List<string>();
        var inputs = new List<string>();
        var providerChanged = false;
        foreach (var property in change.Properties)
        {
            if (property.Path.StartsWith("options.", StringComparison.Ordinal))
            {
                // A changed provider reference is a replacement only if the new provider's DiffConfig says so
                // (pulumi/pulumi pkg/resource/deploy/step_generator.go, providerChanged); version and dependsOn change nothing.
                providerChanged |= property.Path == "options.provider";
                continue;
            }

            var top = PropertyPaths.TopLevel(property.Path);
            if (options?.IgnoreChanges?.Any(p => PropertyPaths.TopLevel(p) == top) == true)
            {
                // step_generator.go, processIgnoreChanges: the old value is kept, so the provider sees no change.
                continue;
            }

            inputs.Add(top);

            // step_generator.go, applyReplaceOnChanges: a path the resource lists in replaceOnChanges turns its diff into a replacement.
            if (property.Path == "type" || options?.ReplaceOnChanges?.Any(p => p == "*" || PropertyPaths.TopLevel(p) == top) == true)
            {
                replacing.Add(top);
            }
            else if (rules.ForcesReplacement(change.Type, property.Path) is { } forced)
            {
                replacing.Add(forced);
            }
        }

        var because = replacing.Count > 0 ? string.Join(", ", replacing.Distinct(StringComparer.Ordinal)) : null;
        return providerChanged ? new Verdict(Effect.NotModelled, "options.provider")
            : inputs.Count == 0 ? new Verdict(Effect.UpdateInPlace, "resource options only")
            : rules.RunsCommand(change.Type) ? new Verdict(Effect.RunAgain, because ?? string.Join(", ", inputs.Distinct(StringComparer.Ordinal)))
            : because is not null ? new Verdict(Effect.Replace, because)
            : !rules.Knows(change.Type) ? new Verdict(Effect.NotModelled)
            : new Verdict(Effect.UpdateInPlace);
    }

    /// <summary>
    /// A replaced resource (or a command that runs again) has new outputs, so every input that refers to it changes
    /// too, even where the program text does not: Pulumi's preview shows such inputs as unknown and asks the provider
    /// whether they force a replacement (step_generator.go, calculateDependentReplacements). Repeated until nothing
    /// more is affected, since a replacement can cascade.
    /// </summary>
    private static List<ResourceChange> Dependents(List<ResourceChange> judged, PulumiProgram? before, PulumiProgram? after, IReplacementRules rules)
    {
        var existedBefore = (before?.Resources ?? []).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        bool grew;
        do
        {
            grew = false;
            var sources = judged.Where(r => r.Verdict?.Effect is Effect.Replace or Effect.RunAgain).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var resource in (after?.Resources ?? []).Where(r => existedBefore.Contains(r.Name)))
            {
                var index = judged.FindIndex(r => r.Name == resource.Name);
                var current = index >= 0 ? judged[index] : null;
                if (current?.Verdict?.Effect is Effect.Replace or Effect.RunAgain)
                {
                    continue;
                }

                var affected = resource.Properties.Entries
                    .Select(e => (Property: e.Key, Source: References(e.Value).FirstOrDefault(sources.Contains)))
                    .Where(x => x.Source is not null)
                    .ToList();
                if (affected.Count == 0)
                {
                    continue;
                }

                var replacing = affected.Where(a => rules.ForcesReplacement(resource.Type, a.Property) is not null).ToList();
                var cause = replacing.Count > 0 ? replacing[0] : affected[0];
                var because = $"{cause.Property} refers to {cause.Source}";
                var verdict = rules.RunsCommand(resource.Type) ? new Verdict(Effect.RunAgain, because)
                    : replacing.Count > 0 ? new Verdict(Effect.Replace, because)
                    : current?.Verdict ?? new Verdict(rules.Knows(resource.Type) ? Effect.UpdateInPlace : Effect.NotModelled, because);
                if (current is null)
                {
                    var shown = affected.Select(a => new PropertyChange(a.Property, $"${{{a.Source}}}", $"new once {a.Source} is replaced or runs again")).ToList();
                    judged.Add(new ResourceChange(resource.Name, resource.Type, ChangeKind.Changed, shown) { Verdict = verdict });
                    grew = true;
                }
                else if (verdict != current.Verdict)
                {
                    judged[index] = current with { Verdict = verdict };
                    grew |= verdict.Effect is Effect.Replace or Effect.RunAgain;
                }
            }
        }
        while (grew);

        return judged;
    }

    /// <summary>Names of the resources (and config keys) a value refers to.</summary>
    private static IEnumerable<string> References(Value value) => value switch
    {
        Ref reference => [reference.Name],
        Interpolation interpolation => interpolation.Parts.OfType<Ref>().Select(r => r.Name),
        Invoke invoke => References(invoke.Argument),
        ListValue list => list.Items.SelectMany(References),
        MapValue map => map.Entries.SelectMany(e => References(e.Value)),
        _ => [],
    };
}
