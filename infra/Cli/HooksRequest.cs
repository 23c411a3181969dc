using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using HomeLab.Hooks;

namespace HomeLab.Cli;

/// <summary>What an operator (or Pulumi) asked the hooks to do.</summary>
internal sealed record HooksRequest(string Stack, string? Instance, IReadOnlySet<HookStep> Steps, string? ReportFile, string? Url, string? CaCertificate);
