namespace HomeLab.Spec;

/// <summary>
/// The variables an Ollama instance runs with, each once, for every target alike: the target's own (such as
/// OLLAMA_HOST), then 'tuning:' in its stable order, then 'env:'. An explicit 'env:' entry wins over the same variable
/// from the target or from 'tuning:', which then drop out. Each target lays them out as its resource needs:
/// <see cref="Inherited"/> first, <see cref="Explicit"/> in the stack's order (or sorted, where the target sorts).
/// </summary>
internal sealed record OllamaEnvironment(IReadOnlyList<KeyValuePair<string, string>> Inherited, IReadOnlyList<KeyValuePair<string, string>> Explicit)
{
    /// <summary>Every variable: <see cref="Inherited"/>, then <see cref="Explicit"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> All => Inherited.Concat(Explicit);

    public static OllamaEnvironment Of(InstanceSpec instance, params KeyValuePair<string, string>[] target)
    {
        // Loops, not LINQ over key/value pairs: that is code ReadyToRun cannot precompile, JIT-compiled on every
        // start of the compiler hook.
        var inherited = new List<KeyValuePair<string, string>>();
        void AddUnlessExplicit(KeyValuePair<string, string> variable)
        {
            foreach (var (key, _) in instance.Environment)
            {
                if (key == variable.Key)
                {
                    return;
                }
            }

            inherited.Add(variable);
        }

        foreach (var variable in target)
        {
            AddUnlessExplicit(variable);
        }

        foreach (var variable in instance.Tuning.ToEnvironment())
        {
            AddUnlessExplicit(variable);
        }

        return new OllamaEnvironment(inherited, instance.Environment);
    }
}
