using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Hooks;

/// <summary>The contract checker must catch drift, or the stand-in proves nothing about the real API.</summary>
public class ContractTests
{
    private static readonly OpenApiContract Contract = OpenApiContract.Committed;

    [Fact]
    public void Every_endpoint_the_hooks_call_is_in_the_contract_except_the_OpenAI_list()
    {
        foreach (var (method, path) in new[] { ("GET", "/api/version"), ("GET", "/api/tags"), ("POST", "/api/pull"), ("POST", "/api/create"), ("DELETE", "/api/delete"), ("POST", "/api/show"), ("POST", "/api/generate"), ("POST", "/api/embed"), ("GET", "/api/ps") })
        {
            Contract.Describes(method, path).Should().BeTrue($"{method} {path} is used by the hooks");
        }

        Contract.Describes("GET", "/v1/models").Should().BeFalse("the OpenAI-compatible API is outside ollama-openapi.yaml; the stand-in checks its shape itself");
    }

    /// <summary>
    /// The contract belongs to the Ollama the stacks deploy: the reference ollama-openapi.yaml (taken from v0.33.0-rc2,
    /// the first tag after 0.32.15) is byte for byte docs/openapi.yaml at v0.32.15 — git blob 34aa9f40… in
    /// ollama/ollama (git ls-tree v0.32.15 docs/openapi.yaml). A git blob id is SHA-1 over "blob &lt;length&gt;\0" and
    /// the bytes, so this fails the day the reference is replaced by an API file of another release.
    /// </summary>
    [ReferenceFact]
    public void The_reference_OpenAPI_file_is_the_one_Ollama_0_32_15_ships()
    {
        var bytes = File.ReadAllBytes(Repo.ReferenceFile("ollama-openapi.yaml"));
        var blob = Encoding.ASCII.GetBytes($"blob {bytes.Length}\0").Concat(bytes).ToArray();

#pragma warning disable CA5350 // Git names blobs by SHA-1; this recomputes that name, it protects nothing.
        Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(blob)).Should().Be("34aa9f40e9a42afb1dbfdd827a7bb314b957fef9");
#pragma warning restore CA5350
    }

    [Fact]
    public void Requests_missing_required_fields_or_with_wrong_types_are_caught()
    {
        Contract.CheckRequest("POST", "/api/pull", JsonNode.Parse("""{"model":"llama3.2","stream":true}""")).Should().BeEmpty();
        Contract.CheckRequest("POST", "/api/pull", JsonNode.Parse("""{"name":"llama3.2"}""")).Should().ContainSingle().Which.Should().Contain("required field 'model' is missing");
        Contract.CheckRequest("POST", "/api/generate", JsonNode.Parse("""{"model":"m","options":{"num_predict":"one"}}""")).Should().ContainSingle().Which.Should().Contain("num_predict: expected an integer");
        Contract.CheckRequest("POST", "/api/generate", JsonNode.Parse("""{"model":"m","keep_alive":true}""")).Should().ContainSingle().Which.Should().Contain("matches none of the allowed forms");
        Contract.CheckRequest("POST", "/api/embed", JsonNode.Parse("""{"model":"m","input":"x","keep_alive":-1}""")).Should().ContainSingle().Which.Should().Contain("keep_alive: expected a string");
    }

    [Fact]
    public void Responses_and_stream_lines_are_checked_against_their_schemas()
    {
        Contract.CheckResponse("GET", "/api/tags", 200, "application/json", JsonNode.Parse("""{"models":[{"name":"a","size":"big"}]}"""))
            .Should().ContainSingle().Which.Should().Contain("size: expected an integer");
        Contract.CheckResponse("POST", "/api/pull", 200, "application/x-ndjson", JsonNode.Parse("""{"status":"pulling","completed":1.5}"""))
            .Should().ContainSingle().Which.Should().Contain("completed: expected an integer");
        Contract.CheckResponse("POST", "/api/pull", 404, "application/json", JsonNode.Parse("""{"message":"nope"}"""))
            .Should().ContainSingle().Which.Should().Contain("must carry 'error'");
    }

    [Fact]
    public async Task The_stand_in_refuses_and_records_a_request_that_breaks_the_contract()
    {
        var standIn = await OllamaStandIn.StartAsync();
        using var http = new HttpClient();
        using var content = new StringContent("""{"name":"llama3.2"}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(standIn.Url, "api/pull"), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        standIn.Violations.Should().ContainSingle().Which.Should().Contain("required field 'model' is missing");
        var dispose = async () => await standIn.DisposeAsync();
        await dispose.Should().ThrowAsync<InvalidOperationException>().WithMessage("*breaks ollama-openapi.yaml*");
    }
}
