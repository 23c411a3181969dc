using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// Verify's part for the chat front end that talks to this instance: it answers its health endpoint through the proxy,
/// it refuses a request without sign-in, and, signed in the way the stack says, it lists the instance's declared models.
/// </summary>
/// <remarks>
/// In sign-in mode proxy the model list stays unproven: the hooks hold no household password (the stack keeps only
/// bcrypt hashes), and a service account signed in through the trusted header would become Open WebUI's first user,
/// which Open WebUI makes its admin (routers/auths.py, signup_handler(): the first user gets role admin).
/// </remarks>
internal static class WebuiCheck
{
    public const string HealthCheck = "the front end answers /health through the proxy";
    public const string RefusalCheck = "the front end refuses a request without sign-in";
    public const string ModelsCheck = "the front end lists every declared model";

    public static async Task RunAsync(HookRun run, WebuiConnection webui, CancellationToken cancel)
    {
        var current = HealthCheck;
        try
        {
            var healthy = await run.RetryAsync(webui.HealthAsync, cancel).ConfigureAwait(false);
            run.Check(HealthCheck, null, healthy, healthy ? $"{webui.Plan.Url} says status true" : $"{webui.Plan.Url} answered /health without status true");
            current = RefusalCheck;
            var status = await run.RetryAsync(webui.StatusWithoutSignInAsync, cancel).ConfigureAwait(false);
            run.Check(RefusalCheck, null, status is 401 or 403, $"HTTP {status}");
            current = ModelsCheck;
            if (webui.Plan.SignIn is SignInMode.Proxy)
            {
                const string Why = "sign-in mode proxy: the hooks hold no household password, only the proxy's bcrypt hashes; open the front end in a browser to see its models";
                run.Checks.Add(new CheckReport(ModelsCheck, null, false, Why) { Result = CheckReport.Unproven });
                run.Console.Line($"{ModelsCheck}: unproven: {Why}");
                return;
            }

            var listed = (await run.RetryAsync(webui.ModelIdsAsync, cancel).ConfigureAwait(false)).Select(ModelName.Parse).ToHashSet();

            // A model missing on the instance already failed its own check; this one is about the front end seeing Ollama.
            var absent = run.Plan.Models.Where(m => run.IsPresent(m.Name) && !listed.Contains(m.Name)).Select(m => m.Name.Written).ToList();
            run.Check(ModelsCheck, null, absent.Count == 0, absent.Count == 0 ? $"{listed.Count} model(s) listed" : $"missing: {string.Join(", ", absent)}");
        }
        catch (OllamaException e) when (e.Kind is not FailureKind.Untrusted)
        {
            run.Check(current, null, false, e.Message);
        }
    }
}
