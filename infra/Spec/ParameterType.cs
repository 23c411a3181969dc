namespace HomeLab.Spec;

/// <summary>The JSON type Ollama requires of a model option (ollama api/types.go: the fields of Options and Runner).</summary>
internal enum ParameterType
{
    Integer,
    Float,
    Boolean,
    StringList,
}
