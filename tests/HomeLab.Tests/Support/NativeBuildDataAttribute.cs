using System.Reflection;

using Xunit.Sdk;

namespace HomeLab.Tests.Support;

/// <summary>
/// A theory row for the native build: <see cref="LaunchedBuild.Native"/> followed by the given values. Skipped with the
/// reason where clang is missing outside CI; the ReadyToRun rows beside it (InlineData) run everywhere.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class NativeBuildDataAttribute : DataAttribute
{
    private readonly object?[] values;

    /// <summary>A single null argument arrives as a null array: it stands for one null value, as with InlineData.</summary>
    public NativeBuildDataAttribute(params object?[]? values)
    {
        this.values = values ?? [null];
        Skip = LaunchedBuild.NativeSkipReason();
    }

    public override IEnumerable<object?[]> GetData(MethodInfo testMethod) => [[LaunchedBuild.Native, .. values]];
}
