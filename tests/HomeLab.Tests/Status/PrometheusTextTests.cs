using HomeLab.Status;

namespace HomeLab.Tests.Status;

public class PrometheusTextTests
{
    private static readonly LabStatus Lab = new(
        "lab",
        DateTimeOffset.FromUnixTimeSeconds(1_764_600_000),
        [
            new InstanceStatus("ollama", "lab", new Uri("http://127.0.0.1:11434/"), true, "0.32.15",
                [new ModelStatus("odd\"name\\with\nbreak", ModelState.Present, []), new ModelStatus("phi3:mini", ModelState.Missing, [])],
                [new LoadedModel("llama3.2:1b", 1000, 750, DateTimeOffset.FromUnixTimeSeconds(1_764_600_300))],
                ["model 'phi3:mini' is missing"]),
        ],
        new ProxyStatus(new Uri("http://localhost:8080/"), 401, null));

    [Fact]
    public void Label_values_escape_backslash_quote_and_line_feed()
    {
        PrometheusText.Render(Lab).Should().Contain("homelab_model_present{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"odd\\\"name\\\\with\\nbreak\"} 1\n");
    }

    [Fact]
    public void Every_family_has_help_and_type_before_its_samples_and_appears_once()
    {
        var lines = PrometheusText.Render(Lab).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var families = new List<string>();
        string? current = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("# HELP ", StringComparison.Ordinal))
            {
                current = lines[i].Split(' ')[2];
                families.Add(current);
                lines[i + 1].Should().Be($"# TYPE {current} gauge");
                i++;
                continue;
            }

            lines[i].Should().MatchRegex($"^{current}{{[^}}]*}} \\S+$", "a sample belongs to the family announced above it");
        }

        families.Should().OnlyHaveUniqueItems().And.Contain(["homelab_instance_up", "homelab_model_present", "homelab_model_vram_ratio", "homelab_proxy_refuses_anonymous"]);
    }

    [Fact]
    public void Values_are_plain_numbers_in_seconds_bytes_and_ratios()
    {
        var text = PrometheusText.Render(Lab);

        text.Should().Contain("homelab_model_vram_ratio{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"llama3.2:1b\"} 0.75\n")
            .And.Contain("homelab_model_expiry_timestamp_seconds{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"llama3.2:1b\"} 1764600300\n")
            .And.Contain("homelab_status_timestamp_seconds{stack=\"lab\"} 1764600000\n")
            .And.Contain("homelab_ollama_info{stack=\"lab\",instance=\"ollama\",host=\"lab\",version=\"0.32.15\"} 1\n")
            .And.Contain("homelab_proxy_refuses_anonymous{stack=\"lab\",url=\"http://localhost:8080/\"} 1\n")
            .And.Contain("homelab_status_healthy{stack=\"lab\"} 0\n");
    }
}
