using System.Buffers;
using System.Runtime.CompilerServices;

namespace HomeLab.Modules.Hooks;

/// <summary>
/// Reads newline-delimited JSON as Ollama streams it. A line may arrive in several reads and one read may hold
/// several lines; a stream that sends nothing for <c>stall</c> is abandoned with <see cref="FailureKind.Stalled"/>.
/// </summary>
internal static class Ndjson
{
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLinesAsync(Stream stream, TimeSpan stall, string what, [EnumeratorCancellation] CancellationToken cancel)
    {
        var pending = new ArrayBufferWriter<byte>();
        var buffer = new byte[16 * 1024];
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        while (true)
        {
            int read;
            watchdog.CancelAfter(stall);
            try
            {
                read = await stream.ReadAsync(buffer, watchdog.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new OllamaException(FailureKind.Stalled, $"{what}: the stream stalled (no data for {Durations.Text(stall)})");
            }
            catch (IOException e)
            {
                throw new OllamaException(FailureKind.Interrupted, $"{what}: the stream broke off ({e.Message})");
            }
            catch (HttpRequestException e)
            {
                throw new OllamaException(FailureKind.Interrupted, $"{what}: the stream broke off ({e.Message})");
            }

            if (read == 0)
            {
                break;
            }

            var chunk = buffer.AsMemory(0, read);
            int newline;
            while ((newline = chunk.Span.IndexOf((byte)'\n')) >= 0)
            {
                pending.Write(chunk.Span[..newline]);
                if (Line(pending) is { } line)
                {
                    yield return line;
                }

                pending.ResetWrittenCount();
                chunk = chunk[(newline + 1)..];
            }

            pending.Write(chunk.Span);
        }

        if (Line(pending) is { } last)
        {
            yield return last;
        }
    }

    private static ReadOnlyMemory<byte>? Line(ArrayBufferWriter<byte> pending)
    {
        var line = pending.WrittenMemory;
        while (line.Length > 0 && (line.Span[^1] == (byte)'\r' || line.Span[^1] == (byte)' '))
        {
            line = line[..^1];
        }

        if (line.Length == 0)
        {
            return null;
        }

        // Copied: the writer's memory is reused for the next line while the caller may still hold this one.
        return new ReadOnlyMemory<byte>(line.ToArray());
    }
}
