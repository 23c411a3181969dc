namespace HomeLab.Spec;

internal enum HookPath
{
    Proxy,
    Direct,
}
