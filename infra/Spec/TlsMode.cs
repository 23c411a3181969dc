namespace HomeLab.Spec;

internal enum TlsMode
{
    Off,
    Internal,
    Acme,
}
