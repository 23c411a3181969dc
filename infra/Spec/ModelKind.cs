namespace HomeLab.Spec;

internal enum ModelKind
{
    Chat,
    Embedding,
}
