using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>/api/pull as server/images.go PullModel and server/download.go stream it.</summary>
public sealed partial class OllamaStandIn
{
    private int activePulls;
    private int maxActivePulls;

    public int MaxConcurrentPulls => Volatile.Read(ref maxActivePulls);

    /// <summary>
    /// images.go PullModel: "pulling manifest", then each layer's progress (download.go blobDownload.Wait sends the
    /// running count on a 60 ms tick and stops when the layer is done, so the last line may fall short of the size;
    /// downloadBlob reports a layer already on disk as complete at once; a part file lets a retry resume), then
    /// "verifying sha256 digest", "writing manifest", "success". The manifest is stored under the name as requested
    /// (routes.go PullHandler: getExistingName, then PullModel(name.DisplayShortest())). A failure after the first
    /// line is a last <c>{"error"}</c> line in the 200 stream (routes.go streamResponse), e.g. an unknown model's
    /// "pull model manifest: file does not exist".
    /// </summary>
    private async Task PullAsync(HttpContext context, string name)
    {
        var stream = new NdjsonWriter(this, context, "POST", "/api/pull");
        var active = Interlocked.Increment(ref activePulls);
        InterlockedMax(ref maxActivePulls, active);
        try
        {
            await stream.LineAsync(new JsonObject { ["status"] = "pulling manifest" }).ConfigureAwait(false);
            if (!registry.TryGetValue(name, out var model))
            {
                PullAttempts.Enqueue(new PullAttempt(name, 0));
                await StreamErrorAsync(context, stream, 500, "pull model manifest: file does not exist").ConfigureAwait(false);
                return;
            }

            PullAttempts.Enqueue(new PullAttempt(name, model.Layers.Sum(l => partialBlobs.GetValueOrDefault(l.Digest))));
            if (model.Format is "safetensors")
            {
                await PullWithTransferAsync(stream, model, name).ConfigureAwait(false);
                return;
            }

            var fault = StandInFaults.Take(Faults.ErrorMidStream, name) ? "error"
                : StandInFaults.Take(Faults.StallMidStream, name) ? "stall"
                : StandInFaults.Take(Faults.FrozenMidStream, name) ? "frozen"
                : StandInFaults.Take(Faults.DropMidStream, name) ? "drop"
                : StandInFaults.Take(Faults.CutMidLine, name) ? "cut"
                : null;
            var size = model.Layers.Sum(l => l.Size);
            var sent = model.Layers.Sum(l => partialBlobs.GetValueOrDefault(l.Digest));
            foreach (var layer in model.Layers)
            {
                var completed = partialBlobs.GetValueOrDefault(layer.Digest);
                await stream.LineAsync(Progress(layer, completed)).ConfigureAwait(false);
                while (completed < layer.Size)
                {
                    var step = Math.Min(Faults.ChunkBytes, layer.Size - completed);
                    completed += step;
                    sent += step;
                    partialBlobs[layer.Digest] = completed;
                    if (fault is not null && sent >= size / 2)
                    {
                        await FaultAsync(context, stream, fault, layer, completed).ConfigureAwait(false);
                        return;
                    }

                    // The tick may come before the last bytes of the layer: its final count is then never sent.
                    if (completed < layer.Size || !Faults.ShortLastProgress)
                    {
                        await stream.LineAsync(Progress(layer, completed)).ConfigureAwait(false);
                    }

                    if (Faults.ChunkDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(Faults.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
                    }
                }
            }

            if (fault is not null)
            {
                // Everything was already downloaded by earlier attempts; the fault still strikes before the end.
                await FaultAsync(context, stream, fault, model.Layers[^1], model.Layers[^1].Size).ConfigureAwait(false);
                return;
            }

            await stream.LineAsync(new JsonObject { ["status"] = "verifying sha256 digest" }).ConfigureAwait(false);
            await stream.LineAsync(new JsonObject { ["status"] = "writing manifest" }).ConfigureAwait(false);
            Store(Installed(model, name));
            await stream.LineAsync(new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
            await stream.EndAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up on this stream (a stall it detected, or the end of a test).
        }
        finally
        {
            Interlocked.Decrement(ref activePulls);
        }
    }

    /// <summary>
    /// images.go PullModel → pullWithTransfer, for a model with tensor layers (safetensors, MLX): one running
    /// "pulling model" line with digest "sha256:model" over all blobs, then "writing manifest" and "success"; no
    /// per-layer lines and no "verifying sha256 digest".
    /// </summary>
    private async Task PullWithTransferAsync(NdjsonWriter stream, RegistryModel model, string name)
    {
        // x/transfer/download.go Download: the bytes already on disk (none here) are reported first, then each read.
        var total = model.Layers.Sum(l => l.Size);
        for (var completed = 0L; ; completed = Math.Min(completed + Math.Max(Faults.ChunkBytes, 1), total))
        {
            await stream.LineAsync(new JsonObject { ["status"] = "pulling model", ["digest"] = "sha256:model", ["total"] = total, ["completed"] = completed }).ConfigureAwait(false);
            if (completed == total)
            {
                break;
            }
        }

        await stream.LineAsync(new JsonObject { ["status"] = "writing manifest" }).ConfigureAwait(false);
        Store(Installed(model, name));
        await stream.LineAsync(new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    private async Task FaultAsync(HttpContext context, NdjsonWriter stream, string fault, Layer layer, long completed)
    {
        switch (fault)
        {
            case "error":
                await StreamErrorAsync(context, stream, 500, Faults.StreamErrorText).ConfigureAwait(false);
                break;
            case "stall":
                await stream.EndAsync().ConfigureAwait(false);
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ConfigureAwait(false);
                break;
            case "frozen":
                // download.go: a stalled part is retried for ever while Wait keeps reporting the same count every 60 ms.
                while (true)
                {
                    await stream.LineAsync(Progress(layer, completed)).ConfigureAwait(false);
                    await Task.Delay(TimeSpan.FromMilliseconds(60), context.RequestAborted).ConfigureAwait(false);
                }

            case "cut":
                await stream.CutMidLineAsync(Progress(layer, completed)).ConfigureAwait(false);
                break;
            default:
                await stream.EndAsync().ConfigureAwait(false);
                context.Abort();
                break;
        }
    }

    private static JsonObject Progress(Layer layer, long completed) => new()
    {
        ["status"] = $"pulling {layer.Digest[7..19]}",
        ["digest"] = layer.Digest,
        ["total"] = layer.Size,
        ["completed"] = completed,
    };

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
