namespace HomeLab.Deploy;

/// <summary>One operator request: the verb, the stack, whether to skip Pulumi's confirmation, and arguments for Pulumi.</summary>
internal sealed record PulumiRequest(PulumiVerb Verb, string Stack, bool Yes, IReadOnlyList<string> PulumiArguments);
