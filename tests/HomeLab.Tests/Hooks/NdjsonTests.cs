using System.Text;

using HomeLab.Modules.Hooks;

namespace HomeLab.Tests.Hooks;

public class NdjsonTests
{
    [Fact]
    public async Task Lines_split_across_reads_and_joined_in_one_read_come_out_whole()
    {
        var text = "{\"status\":\"pulling manifest\"}\n{\"status\":\"pulling abc\",\"completed\":5}\r\n\n{\"status\":\"success\"}";
        var lines = new List<string>();
        await foreach (var line in Ndjson.ReadLinesAsync(new TrickleStream(Encoding.UTF8.GetBytes(text), [1, 3, 40, 2, 100]), TimeSpan.FromSeconds(5), "test", CancellationToken.None))
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        lines.Should().Equal("{\"status\":\"pulling manifest\"}", "{\"status\":\"pulling abc\",\"completed\":5}", "{\"status\":\"success\"}");
    }

    [Fact]
    public async Task A_stream_that_sends_nothing_for_the_stall_limit_is_abandoned_as_stalled()
    {
        var stream = new TrickleStream(Encoding.UTF8.GetBytes("{\"status\":\"pulling\"}\n"), [100], stallAfter: true);
        var read = async () =>
        {
            await foreach (var _ in Ndjson.ReadLinesAsync(stream, TimeSpan.FromMilliseconds(200), "pull of 'x'", CancellationToken.None))
            {
            }
        };

        (await read.Should().ThrowAsync<OllamaException>())
            .Which.Should().Match<OllamaException>(e => e.Kind == FailureKind.Stalled && e.Transient && e.Message == "pull of 'x': the stream stalled (no data for 200ms)");
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
