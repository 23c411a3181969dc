namespace HomeLab.Ollama;

/// <summary>
/// A streamed (NDJSON) answer whose every read gives up after <c>timeout</c> without data, or when <c>cancel</c>
/// fires, and which fails when it ends in the middle of a line. OllamaSharp reads streamed answers with a
/// <see cref="StreamReader"/> that is handed no cancellation token, so without this a stalled or cancelled stream
/// would block its reader for ever; and ReadLineAsync hands a last unterminated line to the JSON parser as if whole.
/// </summary>
internal sealed class ReadTimeoutStream(Stream inner, TimeSpan timeout, CancellationToken cancel) : Stream
{
    /// <summary>Whether the last byte handed out ended a line (true before any): Ollama ends every line, the last included, with '\n' (server/routes.go streamResponse).</summary>
    private bool atLineEnd = true;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancel, cancellationToken);
        watchdog.CancelAfter(timeout);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, watchdog.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StreamStalledException(timeout);
        }

        if (read > 0)
        {
            atLineEnd = buffer.Span[read - 1] == (byte)'\n';
        }
        else if (!atLineEnd && buffer.Length > 0)
        {
            // The end (a zero-byte read only waits for data) in mid-line: a cut connection. Caddy 2.6.2 ends its own
            // answer cleanly when the upstream breaks off (reverseproxy.go handleUpstreamResponse, "aborting with
            // incomplete response"), so behind it the cut shows only here.
            throw new IOException("the answer was cut short in the middle of a line");
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
