using System.Net;

using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>
/// Hashes from <c>homelab hash-password</c> log in through real Caddy, and hashes Caddy made keep working, with
/// HomeLab's check and with Caddy's. The password never travels on the command line.
/// </summary>
public sealed class BasicAuthHashTests : CaddyTests
{
    private const string Password = "correct horse battery staple";

    [ToolFact("caddy")]
    public async Task A_hash_homelab_makes_logs_in_through_real_caddy_and_a_wrong_password_does_not()
    {
        var run = HashPassword(Password + "\n");
        var hash = run.Stdout.Trim();
        var spec = ProxyStacks.Variant("off", "basic", "one");
        var a = await Upstream("a");
        var caddy = await Caddy(spec, new() { ["a"] = a }, new() { ["aliceHash"] = hash, ["bobHash"] = hash });
        using var client = caddy.CreateClient();

        using var right = await Get(client, "api/tags", basic: ("alice", Password));
        using var wrong = await Get(client, "api/tags", basic: ("alice", Password + " "));
        using var withNewline = await Get(client, "api/tags", basic: ("alice", Password + "\n"));

        run.ExitCode.Should().Be(0, run.Stderr);
        hash.Should().MatchRegex(@"^\$2[ab]\$" + PasswordHasher.Cost + @"\$[./A-Za-z0-9]{53}$", "one bcrypt hash of the configured cost, nothing else on stdout");
        right.StatusCode.Should().Be(HttpStatusCode.OK);
        new[] { wrong, withNewline }.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Unauthorized, "stdin's final line break is not part of the password");
        a.Requests.Should().ContainSingle();
    }

    [ToolFact("caddy")]
    public async Task A_hash_caddy_made_verifies_with_homelab_and_homelab_keeps_caddys_cost()
    {
        var hash = await CaddyProcess.HashPasswordAsync(Password);

        PasswordHasher.Verify(Password, hash).Should().BeTrue();
        PasswordHasher.Verify(Password + "!", hash).Should().BeFalse();
        hash.Should().StartWith("$2a$14$", "Caddy's own hashes cost 14; the README says why homelab's cost less");
    }

    [Fact]
    public void The_password_is_refused_as_an_argument()
    {
        var run = HashPassword("", Password);

        run.ExitCode.Should().NotBe(0);
        run.Stdout.Should().BeEmpty();
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\n", "empty")]
    [InlineData("two\nlines\n", "control character")]
    public void An_unusable_password_is_refused_with_exit_code_2_and_no_hash(string stdin, string problem)
    {
        var run = HashPassword(stdin);

        run.ExitCode.Should().Be(2);
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().Contain(problem);
    }

    [Fact]
    public void A_password_bcrypt_would_cut_is_refused()
    {
        var run = HashPassword(new string('é', 37));

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("longer than 72 bytes");
    }

    /// <summary>Runs homelab hash-password with <paramref name="stdin"/> piped in (not a terminal, so no prompt).</summary>
    private static ProcessResult HashPassword(string stdin, params string[] extra) =>
        ProcessRunner.HomelabWithInput(Directory.GetCurrentDirectory(), environment: null, stdin, ["hash-password", .. extra]);
}
