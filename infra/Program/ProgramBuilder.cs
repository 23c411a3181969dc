namespace HomeLab.Program;

/// <summary>Collects what the modules add, refusing duplicate names so a module bug cannot silently shadow a resource.</summary>
internal sealed class ProgramBuilder(string stackName)
{
    private readonly List<Resource> resources = [];
    private readonly Dictionary<string, ConfigParam> config = new(StringComparer.Ordinal);
    private readonly List<Output> outputs = [];
    private readonly Dictionary<string, Resource> byName = new(StringComparer.Ordinal);

    public string StackName { get; } = stackName;

    public Resource Add(string name, string type, MapValue properties, ResourceOptions? options = null)
    {
        var resource = new Resource(name, type, properties, options ?? new ResourceOptions());
        if (!byName.TryAdd(name, resource))
        {
            throw new InvalidOperationException($"resource name '{name}' is used twice");
        }

        resources.Add(resource);
        return resource;
    }

    /// <summary>Returns the resource named <paramref name="name"/>, adding it first if no module has yet.</summary>
    public Resource GetOrAdd(string name, string type, MapValue properties, ResourceOptions? options = null) =>
        byName.TryGetValue(name, out var existing) && existing.Type == type ? existing : Add(name, type, properties, options);

    /// <summary>Declares a secret config key and returns a reference to it; declaring the same key twice is fine.</summary>
    public Ref Secret(string key)
    {
        config.TryAdd(key, new ConfigParam(key, "string", Secret: true));
        return new Ref(key);
    }

    public void Output(string name, Value value) => outputs.Add(new Output(name, value));

    public PulumiProgram Build(string description, bool fromStack = true)
    {
        var sortedConfig = config.Values.ToList();
        sortedConfig.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new(StackName, description, sortedConfig, resources, outputs, fromStack);
    }
}
