namespace HomeLab.Modules.Nixos;

internal sealed record NixosLimitValues(long? MemoryMaxBytes, int? CpuQuotaPercent, string Priority);
