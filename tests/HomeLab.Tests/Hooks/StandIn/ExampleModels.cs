namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>What the registry offers for the example stacks' chat instances (gpu-box's, k3s' chat): their models, small.</summary>
internal static class ExampleModels
{
    /// <summary>A stand-in with a GPU of <paramref name="gpuMemory"/> bytes whose registry holds the chat instances' models.</summary>
    public static OllamaStandIn WithChatModels(this OllamaStandIn standIn, long gpuMemory)
    {
        standIn.GpuMemory = gpuMemory;
        standIn.Publish("llama3.1:8b", 300 << 20);
        standIn.Publish("nomic-embed-text:v1.5", 80 << 20, kind: "embedding");
        standIn.Publish("qwen2.5-coder:7b", 280 << 20);
        return standIn;
    }
}
