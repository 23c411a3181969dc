using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Tests.Support;
using HomeLab.Tools;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

using Xunit.Abstractions;

namespace HomeLab.Tests.Workflows;

/// <summary>The scripts the workflows run, run here for real (bash, jq, curl) against stand-ins on 127.0.0.1.</summary>
public sealed class CiScriptTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("homelab-ci-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static string ScriptPath(string name) => Path.Combine(Repo.Root, ".ci", name);

    private static ToolResult Bash(string script, IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] arguments) =>
        SystemToolRunner.Instance.Capture(new ToolCall("bash", [ScriptPath(script), .. arguments], environment, workingDirectory), TimeSpan.FromSeconds(60));

    [ToolFact("bash", "jq")]
    public void List_stacks_gives_the_example_stacks_as_a_json_array()
    {
        var result = Bash("list-stacks", new Dictionary<string, string>(), Repo.Root);

        result.ExitCode.Should().Be(0, result.Error);
        JsonSerializer.Deserialize<string[]>(result.Output).Should().Equal(Repo.ExampleStacks());
    }

    [ToolTheory("bash")]
    [InlineData("", "", "", false)]
    [InlineData("s3://state?endpoint=minio.lan:9000", "", "", false)]
    [InlineData("s3://state?endpoint=minio.lan:9000", "", "passphrase", true)]
    [InlineData("file:///srv/pulumi-state", "", "passphrase", true)]
    [InlineData("", "pul-token", "", true)]
    [InlineData("", "", "passphrase", false)]
    public void Backend_configured_needs_a_backend_and_for_a_self_hosted_one_a_passphrase(string url, string token, string passphrase, bool configured)
    {
        var outputs = Path.Combine(work, "outputs");
        var result = Bash("backend-configured", new Dictionary<string, string>
        {
            ["GITHUB_OUTPUT"] = outputs,
            ["PULUMI_BACKEND_URL"] = url,
            ["PULUMI_ACCESS_TOKEN"] = token,
            ["PULUMI_CONFIG_PASSPHRASE"] = passphrase,
        }, work);

        result.ExitCode.Should().Be(0, result.Error);
        File.ReadAllText(outputs).Should().Be($"configured={(configured ? "true" : "false")}\n");
        if (!configured)
        {
            result.Output.Should().StartWith("::notice title=Pulumi jobs skipped::");
        }

        result.Output.Should().NotContain("pul-token").And.NotContain("passphrase\n");
    }

    /// <summary>A stand-in pulumi that answers stack select and preview as told, and logs its arguments.</summary>
    private Dictionary<string, string> FakePulumi(int selectCode, string selectSays, int previewCode)
    {
        var bin = Directory.CreateDirectory(Path.Combine(work, "bin")).FullName;
        var pulumi = Path.Combine(bin, "pulumi");
        File.WriteAllText(pulumi, $$"""
            #!/usr/bin/env bash
            echo "$*" >> "{{work}}/pulumi-calls"
            case "$1" in
              stack) echo "{{selectSays}}" >&2; exit {{selectCode}} ;;
              preview) printf 'Previewing update (local):\n + 2 to create\n ~ 1 to update\n```\nResources: 3 changes\n'; exit {{previewCode}} ;;
            esac
            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(pulumi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}", ["GITHUB_STEP_SUMMARY"] = Path.Combine(work, "summary.md") };
    }

    [ToolFact("bash")]
    public void Pulumi_preview_reports_the_preview_for_the_pull_request_and_passes_its_exit_code()
    {
        var ok = Bash("pulumi-preview", FakePulumi(0, "", 0), work, "local", "report.md");
        var report = File.ReadAllText(Path.Combine(work, "report.md"));

        ok.ExitCode.Should().Be(0, ok.Error);
        File.ReadAllLines(Path.Combine(work, "pulumi-calls")).Should().Equal("stack select local --non-interactive", "preview --stack local --non-interactive --color never");
        report.Should().StartWith("<!-- homelab-preview-local -->\n## pulumi preview: `local`\n\nPreview succeeded.\n\n`````text\n");
        report.Should().Contain(" + 2 to create\n ~ 1 to update\n```\nResources: 3 changes\n").And.EndWith("\n`````\n");
        File.ReadAllText(Path.Combine(work, "summary.md")).Should().Be(report);

        var failed = Bash("pulumi-preview", FakePulumi(0, "", 255), work, "local", "report.md");
        failed.ExitCode.Should().Be(255);
        File.ReadAllText(Path.Combine(work, "report.md")).Should().Contain("Preview **failed** (exit code 255).");
    }

    [ToolFact("bash")]
    public void Pulumi_preview_of_a_stack_the_backend_does_not_have_yet_is_skipped_but_other_select_errors_fail()
    {
        var missing = Bash("pulumi-preview", FakePulumi(255, "error: no stack named 'lab' found", 0), work, "lab", "report.md");
        missing.ExitCode.Should().Be(0, missing.Error);
        File.ReadAllText(Path.Combine(work, "report.md")).Should().Contain("Preview skipped: stack `lab` does not exist in this backend yet");
        File.ReadAllLines(Path.Combine(work, "pulumi-calls")).Should().NotContain(l => l.StartsWith("preview", StringComparison.Ordinal));

        var denied = Bash("pulumi-preview", FakePulumi(255, "error: failed to load checkpoint: AccessDenied", 0), work, "lab", "report.md");
        denied.ExitCode.Should().Be(255);
        File.ReadAllText(Path.Combine(work, "report.md")).Should().Contain("Preview **failed**: could not select stack `lab` (exit code 255).")
            .And.Contain("AccessDenied");
    }

    [ToolFact("bash", "curl", "jq")]
    public async Task Pr_comment_creates_the_comment_once_then_updates_it_in_place()
    {
        await using var forge = await FakeForge.StartAsync(existing: [new(11, "an unrelated review comment")]);
        var environment = new Dictionary<string, string>
        {
            ["FORGE_API"] = forge.Api,
            ["FORGE_TOKEN"] = "secret-token-value",
            ["REPOSITORY"] = "ops/homelab",
            ["PR_NUMBER"] = "7",
        };
        File.WriteAllText(Path.Combine(work, "diff.md"), "<!-- homelab-diff -->\n## HomeLab program diff\nfirst\n");

        var first = Bash("pr-comment", environment, work, "homelab-diff", "diff.md");
        File.WriteAllText(Path.Combine(work, "diff.md"), "<!-- homelab-diff -->\n## HomeLab program diff\nsecond\n");
        var second = Bash("pr-comment", environment, work, "homelab-diff", "diff.md");

        first.ExitCode.Should().Be(0, first.Error);
        first.Output.Should().Contain("created a comment on pull request #7");
        second.ExitCode.Should().Be(0, second.Error);
        second.Output.Should().Contain("updated comment 12");
        forge.Comments.Values.Select(c => c.Body).Should().BeEquivalentTo("an unrelated review comment", "<!-- homelab-diff -->\n## HomeLab program diff\nsecond\n");
        forge.Requests.Should().Equal(
            "GET /repos/ops/homelab/issues/7/comments",
            "POST /repos/ops/homelab/issues/7/comments",
            "GET /repos/ops/homelab/issues/7/comments",
            "PATCH /repos/ops/homelab/issues/comments/12");
        forge.Authorizations.Should().OnlyContain(a => a == "token secret-token-value");
        (first.Output + first.Error + second.Output + second.Error).Should().NotContain("secret-token-value");
    }

    [ToolFact("bash", "curl", "jq")]
    public async Task Pr_comment_cuts_a_body_that_is_too_long_and_adds_its_marker()
    {
        await using var forge = await FakeForge.StartAsync(existing: []);
        File.WriteAllText(Path.Combine(work, "preview.md"), new string('x', 70_000));

        var result = Bash("pr-comment", new Dictionary<string, string> { ["FORGE_API"] = forge.Api, ["FORGE_TOKEN"] = "t", ["REPOSITORY"] = "ops/homelab", ["PR_NUMBER"] = "7" }, work, "homelab-preview-local", "preview.md");

        result.ExitCode.Should().Be(0, result.Error);
        var body = forge.Comments.Values.Single().Body;
        body.Should().StartWith("<!-- homelab-preview-local -->\nxxx").And.EndWith("_(cut: too long for a comment; the job log has all of it)_");
        body.Length.Should().BeLessThan(60_100);
    }

    [ToolFact("bash", "curl", "jq")]
    public async Task Pr_comment_with_a_read_only_token_warns_instead_of_failing()
    {
        await using var forge = await FakeForge.StartAsync(existing: [], refuseWrites: true);
        File.WriteAllText(Path.Combine(work, "diff.md"), "<!-- homelab-diff -->\nbody\n");

        var result = Bash("pr-comment", new Dictionary<string, string> { ["FORGE_API"] = forge.Api, ["FORGE_TOKEN"] = "t", ["REPOSITORY"] = "ops/homelab", ["PR_NUMBER"] = "7" }, work, "homelab-diff", "diff.md");

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().StartWith("::warning title=No pull-request comment::the token may not comment here (HTTP 403;");
    }

    internal sealed record Comment(long Id, string Body);

    /// <summary>The comment endpoints GitHub and Forgejo share, in memory, on 127.0.0.1.</summary>
    private sealed class FakeForge : IAsyncDisposable
    {
        private readonly WebApplication app;

        private FakeForge(WebApplication app, string api) => (this.app, Api) = (app, api);

        public string Api { get; }

        public ConcurrentDictionary<long, Comment> Comments { get; } = new();

        public ConcurrentQueue<string> RequestLog { get; } = new();

        public IEnumerable<string> Requests => RequestLog;

        public ConcurrentBag<string> Authorizations { get; } = [];

        public static async Task<FakeForge> StartAsync(IReadOnlyList<Comment> existing, bool refuseWrites = false)
        {
            var app = LoopbackServer.Create();
            FakeForge? forge = null;
            var nextId = existing.Count == 0 ? 1L : existing.Max(c => c.Id) + 1;
            app.Use(async (context, next) =>
            {
                forge!.RequestLog.Enqueue($"{context.Request.Method} {context.Request.Path}");
                forge.Authorizations.Add(context.Request.Headers.Authorization.ToString());
                if (refuseWrites && context.Request.Method != "GET")
                {
                    context.Response.StatusCode = 403;
                    await context.Response.WriteAsync("{\"message\":\"Resource not accessible by integration\"}");
                    return;
                }

                await next(context);
            });
            app.MapGet("/repos/{owner}/{name}/issues/{number:int}/comments", () =>
                Results.Json(forge!.Comments.Values.OrderBy(c => c.Id).Select(c => new { id = c.Id, body = c.Body })));
            app.MapPost("/repos/{owner}/{name}/issues/{number:int}/comments", async (HttpRequest request) =>
            {
                var comment = new Comment(Interlocked.Increment(ref nextId) - 1, await BodyOf(request));
                forge!.Comments[comment.Id] = comment;
                return Results.Json(new { id = comment.Id }, statusCode: 201);
            });
            app.MapMethods("/repos/{owner}/{name}/issues/comments/{id:long}", ["PATCH"], async (long id, HttpRequest request) =>
            {
                if (!forge!.Comments.ContainsKey(id))
                {
                    return Results.NotFound();
                }

                forge.Comments[id] = new Comment(id, await BodyOf(request));
                return Results.Json(new { id });
            });
            var address = (await LoopbackServer.StartAsync(app)).GetLeftPart(UriPartial.Authority);
            forge = new FakeForge(app, address);
            foreach (var comment in existing)
            {
                forge.Comments[comment.Id] = comment;
            }

            return forge;
        }

        private static async Task<string> BodyOf(HttpRequest request)
        {
            var json = await JsonNode.ParseAsync(request.Body);
            return json!["body"]!.GetValue<string>();
        }

        public async ValueTask DisposeAsync()
        {
            await LoopbackServer.StopAsync(app);
        }
    }
}
