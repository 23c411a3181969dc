using System.Text;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>
/// Writes NDJSON as Ollama does, but awkwardly on purpose: some lines in three pieces with a flush and a pause
/// between them, some joined with the next line in one write, so the client must reassemble lines itself.
/// </summary>
internal sealed class NdjsonWriter(OllamaStandIn standIn, HttpContext context, string method, string path)
{
    private int lines;

    /// <summary>Whether a line went out, so the status is sent: an error now can only be a line of the stream.</summary>
    public bool Started => lines > 0;

    public async Task LineAsync(JsonNode line)
    {
        foreach (var problem in standIn.Contract.CheckResponse(method, path, 200, "application/x-ndjson", line))
        {
            standIn.Violations.Enqueue("stand-in stream: " + problem);
        }

        var response = context.Response;
        if (lines == 0)
        {
            response.StatusCode = 200;
            response.ContentType = "application/x-ndjson";
        }

        var bytes = Encoding.UTF8.GetBytes(line.ToJsonString() + "\n");
        var cancel = context.RequestAborted;
        switch (standIn.Faults.SplitLines ? lines++ % 3 : (lines++ * 0) + 2)
        {
            case 0:
                var a = bytes.Length / 3;
                var b = 2 * bytes.Length / 3;
                await response.Body.WriteAsync(bytes.AsMemory(0, a), cancel).ConfigureAwait(false);
                await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                await Task.Delay(1, cancel).ConfigureAwait(false);
                await response.Body.WriteAsync(bytes.AsMemory(a, b - a), cancel).ConfigureAwait(false);
                await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                await Task.Delay(1, cancel).ConfigureAwait(false);
                await response.Body.WriteAsync(bytes.AsMemory(b), cancel).ConfigureAwait(false);
                await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                break;
            case 1:
                await response.Body.WriteAsync(bytes, cancel).ConfigureAwait(false);
                break;
            default:
                await response.Body.WriteAsync(bytes, cancel).ConfigureAwait(false);
                await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                break;
        }
    }

    public Task EndAsync() => context.Response.Body.FlushAsync(context.RequestAborted);
}
