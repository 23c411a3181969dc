using System.Text.Encodings.Web;
using System.Text.Json;

using HomeLab.Modules.Nixos;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>
/// values.json is written key by key for the compiler hook's start-up; it must be exactly what JsonSerializer writes
/// for the same records, so a property added to a record and forgotten in the writer fails here.
/// </summary>
public class NixosValuesJsonTests
{
    private static readonly JsonSerializerOptions Serializer = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TheoryData<string, string, string> Variants()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var gpu in NixosStacks.GpuVendors)
        {
            foreach (var proxy in NixosStacks.ProxyModes)
            {
                foreach (var limits in NixosStacks.LimitModes)
                {
                    data.Add(gpu, proxy, limits);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_is_written_as_the_serializer_writes_it(string gpu, string proxy, string limits)
    {
        var spec = NixosStacks.Variant(gpu, proxy, limits);

        ShouldMatchSerializer(NixosOllama.Values(spec, NixosStacks.OnlyHost(spec)));
    }

    [Fact]
    public void Grey_area_and_awkward_text_are_written_as_the_serializer_writes_them()
    {
        ShouldMatchSerializer(NixosOllama.Values(NixosStacks.GreyArea, NixosStacks.OnlyHost(NixosStacks.GreyArea)));
        var awkward = Stacks.Parse(NixosStacks.VariantYaml("amd", "acme", "capped",
            "    env:\n      Z_LAST: 'quotes \" and \\\\ <html> & ünïcødé 🦙'\n      A_FIRST: \"it's ${x} $(id) \\u00e9\\u2028\"\n      OLLAMA_KEEP_ALIVE: '-1'\n" +
            "    tuning: { keepAlive: 5m, numParallel: 2, flashAttention: true }\n"), "awkward");

        var values = NixosOllama.Values(awkward, NixosStacks.OnlyHost(awkward));

        ShouldMatchSerializer(values);
        values.Ollama!.Environment.Keys.Should().Equal(["A_FIRST", "OLLAMA_FLASH_ATTENTION", "OLLAMA_KEEP_ALIVE", "OLLAMA_NO_CLOUD", "OLLAMA_NUM_PARALLEL", "Z_LAST"], "keys are sorted");
        values.Ollama.Environment["OLLAMA_KEEP_ALIVE"].Should().Be("-1", "an explicit env entry wins over tuning");
    }

    [Fact]
    public void A_host_with_only_the_proxy_writes_null_for_ollama()
    {
        var spec = NixosStacks.ProxyOnly;

        var values = NixosOllama.Values(spec, spec.Hosts.OfType<HomeLab.Spec.NixosHostSpec>().Single());

        values.Ollama.Should().BeNull();
        ShouldMatchSerializer(values);
    }

    private static void ShouldMatchSerializer(NixosValues values) =>
        NixosOllama.ValuesJson(values).Should().Be(JsonSerializer.Serialize(values, Serializer) + "\n");
}
