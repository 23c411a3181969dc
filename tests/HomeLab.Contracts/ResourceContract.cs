using System.Text.Json;

namespace HomeLab.Contracts;

/// <summary>
/// A resource (or provider) type as its package declares it. <see cref="Inputs"/> and <see cref="Outputs"/> map
/// property names to type specs: <c>type</c> (string, integer, number, boolean, array, object), <c>$ref</c>
/// (<c>#/types/…</c> or <c>pulumi.json#/Any</c> and friends), <c>items</c>, <c>additionalProperties</c> (a map's
/// value type), <c>properties</c> + <c>required</c> (an inline object), <c>enum</c> (allowed values),
/// <c>secret</c>, <c>replaceOnChanges</c>.
/// </summary>
public sealed record ResourceContract(string Token, string Package, JsonElement Inputs, IReadOnlyList<string> RequiredInputs, JsonElement Outputs)
{
    public bool IsProvider => Token.StartsWith("pulumi:providers:", StringComparison.Ordinal);

    public IEnumerable<string> InputNames => Inputs.EnumerateObject().Select(p => p.Name);

    public IEnumerable<string> OutputNames => Outputs.EnumerateObject().Select(p => p.Name);

    /// <summary>The type spec of input <paramref name="name"/>, or null when the resource has no such input.</summary>
    public JsonElement? Input(string name) => Inputs.TryGetProperty(name, out var spec) ? spec : null;

    /// <summary>The type spec of output <paramref name="name"/>, or null when the resource has no such output.</summary>
    public JsonElement? Output(string name) => Outputs.TryGetProperty(name, out var spec) ? spec : null;
}
