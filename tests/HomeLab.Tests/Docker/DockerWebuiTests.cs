using System.Text.RegularExpressions;

using HomeLab.Conventions;
using HomeLab.Modules.Webui;
using HomeLab.Program;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Docker;

/// <summary>
/// The front end on Docker runs as its unprivileged user on data a one-shot container gave it, and that one-shot
/// runs again exactly when what it prepared could have changed.
/// </summary>
public partial class DockerWebuiTests
{
    /// <summary>The 'local' example with a front end on its proxy's host (proxy sign-in, so a basic-auth user), storage left to its default volume.</summary>
    internal static string LocalWithWebui(string webuiLines = "") =>
        File.ReadAllText(Path.Combine(Repo.Root, "stacks", "local.yaml"))
            .Replace("    bearerTokens: [localToken]\n", "    bearerTokens: [localToken]\n    basicAuth:\n      - user: alice\n        passwordHash: aliceHash\n", StringComparison.Ordinal)
        + "\nwebui:\n  host: local\n  domain: chat.localhost\n" + webuiLines;

    private static PulumiProgram Compile(string yaml) => Compiler.Compile(Stacks.Parse(yaml, "local"));

    private static Resource Named(PulumiProgram program, string name) => program.Resources.Single(r => r.Name == name);

    private static string Emit(Value? value) => value is null ? "(absent)" : ProgramEmitter.EmitValue(value);

    private static List<string> Strings(Value? list) => ((ListValue)list!).Items.OfType<Text>().Select(i => i.Value).ToList();

    /// <summary>
    /// A property as the provider gets it: another resource's output (a volume's name, an image's id) stands for
    /// that resource's name, which is what decides it (an image's id follows from the image it names).
    /// </summary>
    private static string Resolved(PulumiProgram program, Value? value) =>
        OutputReference().Replace(Emit(value), m => Emit(Named(program, m.Groups["resource"].Value).Properties["name"]));

    [GeneratedRegex(@"\$\{(?<resource>[A-Za-z0-9-]+)\.[A-Za-z]+\}")]
    private static partial Regex OutputReference();

    /// <summary>The one-shot's properties that carry its image, storage and user.</summary>
    private static readonly string[] RerunsOnChange = ["image", "volumes", "command", "user"];

    [Fact]
    public void The_front_end_runs_as_its_unprivileged_user_with_home_on_its_tmpfs()
    {
        var webui = Named(Compile(LocalWithWebui()), "webui").Properties;

        webui["user"].Should().Be(new Text("1000:1000"));
        WebuiEndpoints.User.Should().NotBe(0);
        Strings(webui["envs"]).Should().Contain($"HOME={WebuiEnvironment.ScratchPath}");
        ((MapValue)webui["tmpfs"]!).Entries.Select(e => e.Key).Should().Equal(WebuiEnvironment.ScratchPath);
        webui["readOnly"].Should().Be(new Flag(true));
        Strings(((MapValue)webui["capabilities"]!)["adds"]).Should().BeEmpty();
        Strings(((MapValue)webui["capabilities"]!)["drops"]).Should().Equal("ALL");
    }

    [Fact]
    public void A_one_shot_container_gives_the_same_storage_to_that_user_before_the_front_end_starts()
    {
        foreach (var storage in new[] { "", "  storage: { path: /srv/open-webui }\n" })
        {
            var program = Compile(LocalWithWebui(storage));
            var owner = Named(program, "webui-data-owner");
            var webui = Named(program, "webui");

            Strings(owner.Properties["command"]).Should().Equal("chown", "-R", "-h", "1000:1000", WebuiEndpoints.DataPath);
            owner.Properties["user"].Should().Be(new Text("0:0"));
            Emit(owner.Properties["volumes"]).Should().Be(Emit(webui.Properties["volumes"]), "it prepares exactly what the front end mounts ({0})", storage);
            Emit(owner.Properties["image"]).Should().Be(Emit(webui.Properties["image"]));
            webui.Options.DependsOn.Should().Contain(new Ref(owner.Name), "the front end starts only once the owner has exited");
        }
    }

    [Fact]
    public void The_one_shot_has_only_what_chown_needs_and_is_waited_for_and_then_left_alone()
    {
        var owner = Named(Compile(LocalWithWebui()), "webui-data-owner").Properties;

        Strings(((MapValue)owner["capabilities"]!)["adds"]).Should().Equal("CAP_CHOWN", "CAP_DAC_READ_SEARCH");
        Strings(((MapValue)owner["capabilities"]!)["drops"]).Should().Equal("ALL");
        owner["networkMode"].Should().Be(new Text("none"));
        owner["readOnly"].Should().Be(new Flag(true));
        Strings(owner["securityOpts"]).Should().Equal("no-new-privileges:true");
        owner["attach"].Should().Be(new Flag(true), "the provider waits for it to exit before the front end is created");
        owner["mustRun"].Should().Be(new Flag(false), "an exited one-shot must not be started again on the next run");
        owner["restart"].Should().BeNull("restarting a one-shot would run it forever");
        owner["healthcheck"].Should().BeNull();
    }

    [Fact]
    public void The_healthcheck_is_the_images_own_which_wants_status_true_not_just_an_answer()
    {
        var check = (MapValue)Named(Compile(LocalWithWebui()), "webui").Properties["healthcheck"]!;

        Strings(check["tests"]).Should().Equal("CMD-SHELL", "curl --silent --fail http://127.0.0.1:8080/health | jq -ne 'input.status == true'");
    }

    /// <summary>
    /// The one-shot runs again only when the provider replaces it: a new image, storage or user (the command names
    /// it) — each a ForceNew property; any other change to the stack leaves its properties, and so its state, alone.
    /// </summary>
    [Theory]
    [InlineData("  image: ghcr.io/open-webui/open-webui:v0.11.5\n", true)]
    [InlineData("  storage: { volume: chat-data }\n", true)]
    [InlineData("  storage: { path: /srv/open-webui }\n", true)]
    [InlineData("  signIn: webui\n  adminEmail: admin@home.arpa\n  adminPassword: chatAdmin\n", false)]
    [InlineData("  secretKey: otherKey\n", false)]
    [InlineData("  openaiApi: true\n", false)]
    public void The_one_shot_runs_again_exactly_when_its_image_storage_or_user_changes(string change, bool reruns)
    {
        var (first, second) = (Compile(LocalWithWebui()), Compile(LocalWithWebui(change)));
        var before = Named(first, "webui-data-owner").Properties;
        var after = Named(second, "webui-data-owner").Properties;

        var changed = before.Entries.Select(e => e.Key).Union(after.Entries.Select(e => e.Key))
            .Where(key => Resolved(first, before[key]) != Resolved(second, after[key]))
            .ToList();

        (changed.Count > 0).Should().Be(reruns, "changed: {0}", string.Join(", ", changed));
        changed.Where(p => ProviderBehaviour.EffectOfChange("docker:Container", p) != ChangeEffect.Replace).Should().BeEmpty();
        RerunsOnChange.Should().OnlyContain(p => ProviderBehaviour.EffectOfChange("docker:Container", p) == ChangeEffect.Replace);
    }
}
