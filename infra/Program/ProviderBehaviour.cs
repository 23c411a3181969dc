using System.Globalization;
using System.Text;

namespace HomeLab.Program;

/// <summary>
/// What the pinned providers (pulumi-docker 5.1.0, which bridges terraform-provider-docker v4.5.0, and
/// pulumi-command 1.2.1) do with the values HomeLab gives them: the form a value is stored in after create and
/// refresh — so the compiler emits exactly that form and an unchanged stack previews with no changes — and which
/// property changes replace a resource. Every rule names its upstream source.
/// </summary>
internal static class ProviderBehaviour
{
    // Go computes these with math/big; Int128 holds every value here exactly (at most decimal's 7.9e28 times 10^9),
    // and unlike BigInteger it costs the compiler hook no extra assembly to load.
    private static readonly Int128 NanosPerUnit = 1_000_000_000;

    /// <summary>
    /// The form the Docker provider stores a container's <c>cpus</c> in, or null when it cannot keep the value: the
    /// create path parses it to nano-CPUs (docker/cli <c>opts.ParseCPUs</c>, called in
    /// <c>resourceDockerContainerCreate</c>) and the read path prints them back with <c>nanoInt64ToDecimalString</c>
    /// (internal/provider/helpers.go): 4 → "4.0", 0.5 → "0.5", 2.25 → "2.25", 10 → "10.", and 0.01 → "0.0" (lost).
    /// </summary>
    public static string? Cpus(double cpus)
    {
        // The shortest text that reads back as the same double is what an operator wrote ("2.25", "0.1").
        var text = cpus.ToString("R", CultureInfo.InvariantCulture);
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) || exact <= 0)
        {
            return null;
        }

        var nanos = exact * 1_000_000_000m;
        if (nanos != decimal.Truncate(nanos))
        {
            return null; // ParseCPUs: "value is too precise"
        }

        var stored = NanoCpusText((Int128)nanos);
        return NanoCpus(stored) == (Int128)nanos ? stored : null;
    }

    /// <summary>The nearest value at or above <paramref name="cpus"/>, in steps of 0.01, that the provider keeps exactly.</summary>
    public static string NearestCpus(double cpus)
    {
        var candidate = CpuHundredths(cpus) / 100.0;
        while (Cpus(candidate) is null)
        {
            candidate = Math.Round(candidate + 0.01, 2);
        }

        return candidate.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <paramref name="cpus"/> in whole hundredths of a CPU, rounded up (after rounding away the error of the double
    /// product, so 0.29 is 29, not 30): the percent systemd's CPUQuota= takes on a NixOS host, and the step
    /// <see cref="NearestCpus"/> searches in.
    /// </summary>
    public static int CpuHundredths(double cpus) => (int)Math.Ceiling(Math.Round(cpus * 100, 6));

    /// <summary>
    /// nanoInt64ToDecimalString (helpers.go): the value with nine decimals; when that text holds exactly nine '0'
    /// characters it is rounded to one decimal (big.Rat.FloatString(1), halves away from zero), otherwise trailing
    /// zeros are cut — which leaves "10." for 10 and turns 0.01 into "0.0".
    /// </summary>
    private static string NanoCpusText(Int128 nanos)
    {
        var nine = Fixed(nanos, NanosPerUnit, 9);
        return nine.AsSpan().Count('0') == 9 ? Fixed(nanos, NanosPerUnit, 1) : nine.TrimEnd('0');
    }

    /// <summary>big.Rat.FloatString for a non-negative value: <paramref name="digits"/> decimals, the last rounded half away from zero.</summary>
    private static string Fixed(Int128 numerator, Int128 denominator, int digits)
    {
        Int128 scale = 1;
        for (var i = 0; i < digits; i++)
        {
            scale *= 10;
        }

        var (scaled, remainder) = Int128.DivRem(numerator * scale, denominator);
        if (remainder * 2 >= denominator)
        {
            scaled += 1;
        }

        var (whole, fraction) = Int128.DivRem(scaled, scale);
        return whole.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>opts.ParseCPUs on a stored form such as "4.0" or "10.": the decimal times 10^9.</summary>
    private static Int128 NanoCpus(string text)
    {
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        return (Int128.Parse(whole, CultureInfo.InvariantCulture) * NanosPerUnit)
            + (fraction.Length == 0 ? 0 : Int128.Parse(fraction.PadRight(9, '0'), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Go's <c>time.Duration.String</c>, the form <c>resourceDockerContainerRead</c> stores healthcheck durations in
    /// (after <c>time.ParseDuration</c> on create): 30s → "30s", 60s → "1m0s", 90m → "1h30m0s", 0 → "0s",
    /// 500ms → "500ms".
    /// </summary>
    public static string GoDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "healthcheck durations are never negative");
        }

        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return Trimmed(duration.Ticks / (double)TimeSpan.TicksPerMillisecond) + "ms";
        }

        var text = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || duration.Minutes > 0)
        {
            text.Append(duration.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var seconds = (duration.Ticks % TimeSpan.TicksPerMinute) / (double)TimeSpan.TicksPerSecond;
        return text.Append(Trimmed(seconds)).Append('s').ToString();
    }

    private static string Trimmed(double value) => value.ToString("0.#########", CultureInfo.InvariantCulture);

    /// <summary>
    /// Sizes are given to the Docker provider in whole MiB (<c>memory</c>, <c>memory_swap</c>, <c>shm_size</c>: the
    /// create path multiplies by 1024*1024, the read path divides by it). Rounding up keeps a limit at least as
    /// large as the stack asked for.
    /// </summary>
    public static long Megabytes(long bytes) => (long)Math.Ceiling(bytes / (double)(1 << 20));

    /// <summary>
    /// docker:Container — terraform-provider-docker v4.5.0 internal/provider/resource_docker_container.go,
    /// resourceDockerContainer(): every settable attribute is ForceNew except those below. Of these,
    /// resourceDockerContainerUpdate() (resource_docker_container_funcs.go) applies restart, max_retry_count,
    /// cpu_shares, memory, memory_reservation, cpu_set, memory_swap and the device_* limits to the running container
    /// with ContainerUpdate; the others only change what the provider records (a changed healthcheck never reaches
    /// the container, so HomeLab also writes its digest into a label, and labels are ForceNew).
    /// </summary>
    private static readonly HashSet<string> ContainerAppliedInPlace = new(StringComparer.Ordinal)
    {
        "restart", "maxRetryCount", "cpuShares", "memory", "memoryReservation", "cpuSet", "memorySwap",
        "deviceReadBps", "deviceReadIops", "deviceWriteBps", "deviceWriteIops",
    };

    private static readonly HashSet<string> ContainerStateOnly = new(StringComparer.Ordinal)
    {
        "rm", "start", "wait", "waitTimeout", "attach", "logs", "mustRun", "removeVolumes", "tmpfs", "destroyGraceSeconds",
        "healthcheck", "containerReadRefreshTimeoutMilliseconds", "init", "cpuPeriod", "cpuQuota",
    };

    private static readonly HashSet<string> CommandTypes = new(StringComparer.Ordinal)
    {
        "command:local:Command", "command:remote:Command", "command:remote:CopyToRemote",
    };

    /// <summary>Whether the effect of a change on resources of <paramref name="type"/> is modelled at all.</summary>
    public static bool Models(string type) =>
        type is "docker:Container" or "docker:RemoteImage" or "docker:Volume" or "docker:Network" || CommandTypes.Contains(type);

    /// <summary>
    /// What changing the input <paramref name="property"/> of a resource of <paramref name="type"/> does, from the
    /// providers' schemas and update functions; null for a type that is not modelled. pulumi-docker bridges
    /// terraform-provider-docker, so a property replaces exactly when its Terraform attribute is ForceNew (nested
    /// attributes of a ForceNew block too, so the top-level property decides).
    /// </summary>
    public static ChangeEffect? EffectOfChange(string type, string property) => type switch
    {
        "docker:Container" => ContainerAppliedInPlace.Contains(property) ? ChangeEffect.UpdateInPlace
            : ContainerStateOnly.Contains(property) ? ChangeEffect.StateOnly
            : ChangeEffect.Replace,

        // resource_docker_image.go, resourceDockerImage(): name, pull_triggers, triggers and platform are ForceNew;
        // keep_locally and force_remove matter only when the image is deleted; build is not ForceNew.
        "docker:RemoteImage" => property switch
        {
            "keepLocally" or "forceRemove" => ChangeEffect.StateOnly,
            "build" => ChangeEffect.UpdateInPlace,
            _ => ChangeEffect.Replace,
        },

        // resource_docker_volume.go, resourceDockerVolume(): name, labels, driver and driver_opts are ForceNew; cluster is not.
        "docker:Volume" => property == "cluster" ? ChangeEffect.UpdateInPlace : ChangeEffect.Replace,

        // resource_docker_network.go, resourceDockerNetwork(): every attribute is ForceNew and there is no Update.
        "docker:Network" => ChangeEffect.Replace,

        // pulumi-command v1.2.1 provider/pkg/provider/common/inputs.go (and remote/copy.go for CopyToRemote): only
        // Triggers is provider:"replaceOnChanges"; any other change runs Update, which runs 'create' again when no
        // 'update' command is given (local and remote commandController.go).
        _ when CommandTypes.Contains(type) => property == "triggers" ? ChangeEffect.Replace : ChangeEffect.UpdateInPlace,
        _ => null,
    };
}
