using HomeLab.Conventions;
using HomeLab.Modules.Webui;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Docker;

/// <summary>
/// The chat front end as a Docker container on the host's internal network only (no route out, no published port):
/// the proxy reaches it by its alias, it reaches the instances by theirs. It runs as an unprivileged user
/// (<see cref="WebuiEndpoints.User"/>), after a one-shot container has given its data to that user.
/// </summary>
internal static class DockerWebui
{
    public static Resource Add(ProgramBuilder program, StackSpec spec, WebuiSpec webui, DockerSite site, IReadOnlyDictionary<string, Resource> containers)
    {
        var image = DockerHosts.Image(program, webui.Image ?? Pins.WebuiImage, site);
        var storage = SupervisedContainer.Storage(program, spec, webui.Storage, "webui-data", (ResourceLabels.Role, "webui"), WebuiEndpoints.DataPath, site);
        var owner = DataOwner(program, spec, image, storage, site);

        var instances = spec.InstancesOf(webui);
        var envs = WebuiEnvironment.ForImage(spec, webui, instances.Select(i => spec.InternalUrl(i)))
            .Select(e => (Value)$"{e.Item1}={e.Item2}")
            .Concat(WebuiEnvironment.Secrets(webui).Select(s => (Value)new Interpolation($"{s.Variable}=", program.Secret(s.SecretKey))))
            .ToList();

        return program.Add("webui", "docker:Container", new MapValue(
        [
            ("name", ResourceNames.WebuiContainer(spec.Name)),
            ("image", image.Output("imageId")),
            ("restart", "unless-stopped"),
            // Not the image's root (its Dockerfile builds with UID=0): the data is this user's (DataOwner), HOME and
            // the static files are on the tmpfs (WebuiEnvironment.ForImage), and everything else is only read.
            ("user", WebuiEndpoints.UserAndGroup),
            ("envs", new ListValue(envs)),
            ("networksAdvanced", new ListValue(new MapValue(("name", site.InternalNetwork.Output("name")), ("aliases", new ListValue(WebuiEndpoints.ContainerAlias))))),
            ("volumes", new ListValue(storage)),
            ("readOnly", true),
            ("tmpfs", new MapValue((WebuiEnvironment.ScratchPath, "rw,nosuid,nodev,size=256m"))),
            // Both lists, as the provider reads them back (an absent 'adds' would read back as an empty one).
            ("capabilities", new MapValue(("adds", new ListValue()), ("drops", new ListValue("ALL")))),
            .. SupervisedContainer.Supervision(Healthcheck),
            ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Role, "webui"), (ResourceLabels.Healthcheck, HealthcheckDigest))),
        ]),
            site.Options([new Ref(owner.Name), .. instances.Select(i => new Ref(containers[i.Name].Name))]));
    }

    /// <summary>
    /// A container that runs once, before the front end, and exits: it gives the data directory to the front end's
    /// user. A new named volume is filled from the image's data directory with the image's (root's) ownership, and
    /// dockerd creates a missing host path as root, so without this the unprivileged front end could not write its
    /// database. Root inside but with only the capabilities chown needs (CHOWN; DAC_READ_SEARCH to walk directories
    /// the front end made private on a later run), no network, a read-only root and no-new-privileges; symbolic links
    /// are changed themselves, never followed ('-h'). The provider waits for it to exit ('attach'), and leaves the
    /// exited container alone ('mustRun' false), so an unchanged stack neither re-runs nor replaces it; a new image,
    /// storage or user replaces it (all three are ForceNew), which runs it again before the front end is replaced.
    /// If it fails, the front end cannot write its data and never turns healthy, so 'pulumi up' fails there.
    /// </summary>
    private static Resource DataOwner(ProgramBuilder program, StackSpec spec, Resource image, MapValue storage, DockerSite site) =>
        program.Add("webui-data-owner", "docker:Container", new MapValue(
        [
            ("name", ResourceNames.WebuiDataOwnerContainer(spec.Name)),
            ("image", image.Output("imageId")),
            ("command", new ListValue("chown", "-R", "-h", WebuiEndpoints.UserAndGroup, WebuiEndpoints.DataPath)),
            ("user", "0:0"),
            ("networkMode", "none"),
            ("volumes", new ListValue(storage)),
            ("readOnly", true),
            // Docker stores named capabilities with the CAP_ prefix (moby oci/caps/utils.go, NormalizeLegacyCapabilities),
            // so they are written that way, as the provider reads them back.
            ("capabilities", new MapValue(("adds", new ListValue("CAP_CHOWN", "CAP_DAC_READ_SEARCH")), ("drops", new ListValue("ALL")))),
            ("securityOpts", SupervisedContainer.NoNewPrivileges),
            ("mustRun", false),
            ("attach", true),
            ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Role, "webui-data-owner"))),
        ]),
            site.Options());

    /// <summary>
    /// The image's own check, with its meaning (the Dockerfile's HEALTHCHECK, stored version @08d67bf0: curl on
    /// /health piped to jq -ne 'input.status == true'): healthy only when Open WebUI says status true, not on any 200.
    /// The runtime stage installs curl and jq, and a shell form runs under the image's Debian /bin/sh; migrations make
    /// the first start slow.
    /// </summary>
    private static readonly MapValue Healthcheck = SupervisedContainer.Healthcheck(
        new ListValue("CMD-SHELL", $"curl --silent --fail http://{Endpoints.Loopback}:{WebuiEndpoints.Port}{WebuiEndpoints.HealthPath} | jq -ne 'input.status == true'"),
        TimeSpan.FromSeconds(120));

    private static string HealthcheckDigest { get; } = SupervisedContainer.HealthcheckDigest(Healthcheck);
}
