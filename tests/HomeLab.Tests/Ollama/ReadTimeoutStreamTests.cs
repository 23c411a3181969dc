using System.Diagnostics;
using System.Text;

using HomeLab.Ollama;

namespace HomeLab.Tests.Ollama;

public class ReadTimeoutStreamTests
{
    [Fact]
    public async Task Lines_split_across_reads_and_joined_in_one_read_come_out_whole()
    {
        var text = "{\"status\":\"pulling manifest\"}\n{\"status\":\"pulling abc\",\"completed\":5}\r\n{\"status\":\"success\"}";
        using var reader = new StreamReader(new ReadTimeoutStream(new TrickleStream(Encoding.UTF8.GetBytes(text), [1, 3, 40, 2, 100]), TimeSpan.FromSeconds(5), CancellationToken.None));
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        lines.Should().Equal("{\"status\":\"pulling manifest\"}", "{\"status\":\"pulling abc\",\"completed\":5}", "{\"status\":\"success\"}");
    }

    [Fact]
    public async Task A_stream_that_sends_nothing_for_the_timeout_is_abandoned_as_stalled()
    {
        // OllamaSharp reads lines with no cancellation token; the wrapped stream must end the wait itself.
        using var reader = new StreamReader(new ReadTimeoutStream(new TrickleStream(Encoding.UTF8.GetBytes("{\"status\":\"pulling\"}\n"), [100], stallAfter: true), TimeSpan.FromMilliseconds(200), CancellationToken.None));
        (await reader.ReadLineAsync()).Should().Be("{\"status\":\"pulling\"}");

        var read = async () => await reader.ReadLineAsync();

        (await read.Should().ThrowAsync<StreamStalledException>()).Which.Message.Should().Be("no data for 200ms");
    }

    [Fact]
    public async Task Cancelling_the_call_interrupts_a_blocked_read()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var reader = new StreamReader(new ReadTimeoutStream(new TrickleStream([], [1], stallAfter: true), TimeSpan.FromMinutes(5), cancel.Token));
        var clock = Stopwatch.StartNew();

        var read = async () => await reader.ReadLineAsync();

        await read.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the read ends when the call is cancelled, not after the 5-minute read timeout");
    }

    /// <summary>Hands out its bytes in reads of the given sizes, then optionally never answers again.</summary>
    private sealed class TrickleStream(byte[] data, int[] sizes, bool stallAfter = false) : Stream
    {
        private int position;
        private int read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position >= data.Length)
            {
                if (stallAfter)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                return 0;
            }

            var size = Math.Min(Math.Min(sizes[read++ % sizes.Length], buffer.Length), data.Length - position);
            data.AsMemory(position, size).CopyTo(buffer);
            position += size;
            return size;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
