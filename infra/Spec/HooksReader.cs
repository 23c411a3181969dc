using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads 'hooks:': how the post-deploy hooks reach the instances and how long they wait.</summary>
internal static class HooksReader
{
    public static HooksSpec Read(YamlValue? node, bool hasProxy, NodeReader r)
    {
        var defaults = HooksSpec.Defaults with { Via = hasProxy ? HookPath.Proxy : HookPath.Direct };
        var map = r.Map(node, "hooks", SpecShape.Hooks.Keys);
        if (map is null)
        {
            return defaults;
        }

        var stall = r.Duration(map["stallTimeout"], "hooks stallTimeout");
        if (stall is { TotalSeconds: < 1 })
        {
            r.Error(map["stallTimeout"]!.At, "hooks stallTimeout is shorter than a second", "write a duration of at least 1s, e.g. 2m; a pull that sends nothing for this long is retried");
        }

        return new HooksSpec(
            r.Bool(map["enabled"], "hooks enabled") ?? defaults.Enabled,
            r.Enum(map["via"], "hooks via", SpecShape.HookPaths) ?? defaults.Via,
            r.Duration(map["readyTimeout"], "hooks readyTimeout") ?? defaults.ReadyTimeout,
            r.Int(map, SpecShape.Hooks, "pullConcurrency", "hooks pullConcurrency") ?? defaults.PullConcurrency,
            r.Bool(map["verify"], "hooks verify") ?? defaults.Verify)
        {
            StallTimeout = stall is { TotalSeconds: >= 1 } ? stall.Value : defaults.StallTimeout,
            PullTimeout = r.Duration(map["pullTimeout"], "hooks pullTimeout") ?? defaults.PullTimeout,
            MinVramShare = r.Number(map, SpecShape.Hooks, "minVramShare", "hooks minVramShare") ?? defaults.MinVramShare,
        };
    }
}
