namespace HomeLab.Ollama;

/// <summary>
/// A response stream whose every read gives up after <c>timeout</c> without data, or when <c>cancel</c> fires.
/// OllamaSharp reads streamed answers with a <see cref="StreamReader"/> that is handed no cancellation token, so
/// without this a stalled or cancelled stream would block its reader for ever.
/// </summary>
internal sealed class ReadTimeoutStream(Stream inner, TimeSpan timeout, CancellationToken cancel) : Stream
{
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
        try
        {
            return await inner.ReadAsync(buffer, watchdog.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StreamStalledException(timeout);
        }
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
