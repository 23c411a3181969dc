using HomeLab.Conventions;
using HomeLab.Modules.Webui;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Docker;

/// <summary>
/// The chat front end as a Docker container on the host's internal network only (no route out, no published port):
/// the proxy reaches it by its alias, it reaches the instances by theirs.
/// </summary>
internal static class DockerWebui
{
    public static Resource Add(ProgramBuilder program, StackSpec spec, WebuiSpec webui, DockerSite site, IReadOnlyDictionary<string, Resource> containers)
    {
        var image = DockerHosts.Image(program, webui.Image ?? Pins.WebuiImage, site);
        var storage = SupervisedContainer.Storage(program, spec, webui.Storage, "webui-data", (ResourceLabels.Role, "webui"), WebuiEndpoints.DataPath, site);

        var instances = webui.Instances.Select(name => spec.Instances.First(i => i.Name == name)).ToList();
        var envs = WebuiEnvironment.ForImage(spec, webui, instances.Select(i => spec.InternalUrl(i)))
            .Select(e => (Value)$"{e.Item1}={e.Item2}")
            .Concat(WebuiEnvironment.Secrets(webui).Select(s => (Value)new Interpolation($"{s.Variable}=", program.Secret(s.SecretKey))))
            .ToList();

        return program.Add("webui", "docker:Container", new MapValue(
        [
            ("name", ResourceNames.WebuiContainer(spec.Name)),
            ("image", image.Output("imageId")),
            ("restart", "unless-stopped"),
            ("envs", new ListValue(envs)),
            ("networksAdvanced", new ListValue(new MapValue(("name", site.InternalNetwork.Output("name")), ("aliases", new ListValue(WebuiEndpoints.ContainerAlias))))),
            ("volumes", new ListValue(storage)),
            ("readOnly", true),
            ("tmpfs", new MapValue((WebuiEnvironment.ScratchPath, "rw,nosuid,nodev,size=256m"))),
            // The image runs as root (its Dockerfile's UID defaults to 0) and owns its data directory as root, so a
            // user switch would leave the volume unwritable; with every capability dropped, root inside is unprivileged.
            // Both lists, as the provider reads them back (an absent 'adds' would read back as an empty one).
            ("capabilities", new MapValue(("adds", new ListValue()), ("drops", new ListValue("ALL")))),
            .. SupervisedContainer.Supervision(Healthcheck),
            ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Role, "webui"), (ResourceLabels.Healthcheck, HealthcheckDigest))),
        ]),
            site.Options([.. instances.Select(i => new Ref(containers[i.Name].Name))]));
    }

    /// <summary>The image's own check (its Dockerfile's HEALTHCHECK: curl on /health); migrations make the first start slow.</summary>
    private static readonly MapValue Healthcheck = SupervisedContainer.Healthcheck(
        new ListValue("CMD", "curl", "--silent", "--fail", $"http://{Endpoints.Loopback}:{WebuiEndpoints.Port}{WebuiEndpoints.HealthPath}"),
        TimeSpan.FromSeconds(120));

    private static string HealthcheckDigest { get; } = SupervisedContainer.HealthcheckDigest(Healthcheck);
}
