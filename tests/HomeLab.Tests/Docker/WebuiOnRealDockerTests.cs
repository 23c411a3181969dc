using System.Diagnostics;

using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Tests.Support;

using Xunit.Abstractions;

namespace HomeLab.Tests.Docker;

/// <summary>
/// The front end's two containers from a compiled program on a real Docker engine, with an image built here that
/// has what matters of Open WebUI's (<see cref="LocalImages.BuildWebuiStandIn"/>): root-owned data in the image, so a
/// new volume is root's (Docker copies the mount point's content and ownership into it), HOME=/root, curl and jq. The
/// one-shot gives the volume to the front end's user; the front end then runs as that user, read-only but for its data
/// and its tmpfs, and turns healthy by the program's own healthcheck.
/// </summary>
public sealed class WebuiOnRealDockerTests(ITestOutputHelper log)
{
    private const string StandInTag = "homelab-e2e/webui-stand-in:local";
    private const string ProbeVolume = "homelab-e2e-webui-copy-up";

    [DockerFact]
    public async Task The_front_end_runs_as_its_user_on_the_data_the_one_shot_gave_it()
    {
        DockerCli.Unavailable().Should().BeNull("CI starts dockerd before the tests (.ci/run)");
        using var engine = await EngineLock.TakeAsync();
        var clock = Stopwatch.StartNew();
        var program = Compiler.Compile(Stacks.Parse(DockerWebuiTests.LocalWithWebui(), "local"));
        var images = program.Resources.Where(r => r.Type == "docker:RemoteImage").ToDictionary(r => r.Name, _ => StandInTag);
        using var resources = new DeclaredResources(program, images, new Dictionary<string, string> { ["webuiSecretKey"] = "e2e-webui-key-5c1d" });
        try
        {
            LocalImages.BuildWebuiStandIn(StandInTag);
            var user = WebuiEndpoints.UserAndGroup;

            // Why the one-shot exists: a new named volume takes the image's ownership (root's), which the user cannot write.
            DockerCli.Run("volume", "create", ProbeVolume);
            var denied = DockerCli.Try("run", "--rm", "--user", user, "--volume", $"{ProbeVolume}:{WebuiEndpoints.DataPath}", StandInTag, "touch", $"{WebuiEndpoints.DataPath}/webui.db");
            denied.ExitCode.Should().NotBe(0);
            denied.Stderr.Should().Contain("Permission denied");

            resources.CreateNetworksAndVolumes();
            var volume = ResourceNames.WebuiDataVolume("local");
            var owner = resources.StartContainer("webui-data-owner");
            DockerCli.Run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{.Config.User}} {{.HostConfig.NetworkMode}} {{.HostConfig.CapAdd}}", owner)
                .Should().Be("exited 0 0:0 none [CAP_CHOWN CAP_DAC_READ_SEARCH]");
            Owners(volume, "", "cache", "cache/embedding/models/model.bin").Should().AllBe(user, "the image's content was copied into the volume as root's, and the one-shot gave all of it away");
            log.WriteLine($"volume prepared after {clock.Elapsed.TotalSeconds:0.0} s");

            // The front end as its user: healthy by the program's healthcheck (curl | jq on /health) once it has written its data.
            var webui = resources.StartContainer("webui");
            DockerCli.Run("inspect", "--format", "{{.Config.User}} {{.State.Health.Status}}", webui).Should().Be($"{user} healthy");
            DockerCli.Run("exec", webui, "id", "-u").Should().Be($"{WebuiEndpoints.User}");
            Owners(volume, "webui.db", "uploads/private").Should().AllBe(user);
            DockerCli.Try("exec", webui, "touch", "/app/backend/x").Stderr.Should().Contain("Read-only file system");
            DockerCli.Try("exec", webui, "touch", "/root/x").ExitCode.Should().NotBe(0, "HOME is on the tmpfs, not the image's /root");

            // The healthcheck means what the image's does: an answer with status false is not healthy.
            var check = ((ListValue)((MapValue)program.Resources.Single(r => r.Name == "webui").Properties["healthcheck"]!)["tests"]!).Items.Select(i => ((Text)i).Value).ToList();
            DockerCli.Try("exec", webui, "sh", "-c", check[1]).ExitCode.Should().Be(0);
            DockerCli.Run("exec", webui, "sh", "-c", "printf '{\"status\":false}' > /tmp/www/health");
            DockerCli.Try("exec", webui, "curl", "--silent", "--fail", $"http://127.0.0.1:{WebuiEndpoints.Port}/health").ExitCode.Should().Be(0, "Open WebUI answers 200 either way");
            DockerCli.Try("exec", webui, "sh", "-c", check[1]).ExitCode.Should().NotBe(0);

            // A replaced one-shot (new image or storage) runs again over the data as the front end left it, private directory included.
            DockerCli.Run("stop", webui);
            DockerCli.Try("start", "--attach", owner).ExitCode.Should().Be(0, "DAC_READ_SEARCH lets chown walk the front end's private directories");
            Owners(volume, "uploads/private").Should().AllBe(user);
            log.WriteLine($"front end checked after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            resources.Dispose();
            DockerCli.Try("volume", "rm", "--force", ProbeVolume);
            DockerCli.Try("image", "rm", "--force", StandInTag);
            log.WriteLine($"real-Docker front end: {clock.Elapsed.TotalSeconds:0.0} s including clean-up");
        }
    }

    [DockerFact]
    public async Task A_storage_path_dockerd_creates_as_root_is_given_to_the_front_ends_user_too()
    {
        DockerCli.Unavailable().Should().BeNull("CI starts dockerd before the tests (.ci/run)");
        using var engine = await EngineLock.TakeAsync();
        var parent = Directory.CreateTempSubdirectory("homelab-webui-path-").FullName;
        var path = Path.Combine(parent, "open-webui");
        var program = Compiler.Compile(Stacks.Parse(DockerWebuiTests.LocalWithWebui($"  storage: {{ path: {path} }}\n"), "local"));
        var images = program.Resources.Where(r => r.Type == "docker:RemoteImage").ToDictionary(r => r.Name, _ => StandInTag);
        using var resources = new DeclaredResources(program, images, new Dictionary<string, string> { ["webuiSecretKey"] = "e2e-webui-key-5c1d" });
        try
        {
            LocalImages.BuildWebuiStandIn(StandInTag);
            resources.CreateNetworksAndVolumes();
            Directory.Exists(path).Should().BeFalse("dockerd creates the missing path, as root");

            resources.StartContainer("webui-data-owner");
            var webui = resources.StartContainer("webui");

            ProcessRunner.Run("stat", ["-c", "%u:%g", path, Path.Combine(path, "webui.db")], parent).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Should().Equal(WebuiEndpoints.UserAndGroup, WebuiEndpoints.UserAndGroup);
            DockerCli.Run("exec", webui, "id", "-u").Should().Be($"{WebuiEndpoints.User}");
        }
        finally
        {
            resources.Dispose();
            DockerCli.Try("image", "rm", "--force", StandInTag);
            Directory.Delete(parent, recursive: true);
        }
    }

    /// <summary>The numeric owner (uid:gid) of each path under the data directory of <paramref name="volume"/>, as root sees it.</summary>
    private static List<string> Owners(string volume, params string[] paths) =>
        [.. DockerCli.Run(["run", "--rm", "--network", "none", "--volume", $"{volume}:/data", StandInTag, "stat", "-c", "%u:%g", .. paths.Select(p => $"/data/{p}")]).Split('\n')];
}
