using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads a number at <paramref name="key"/> within the range <see cref="SpecShape"/> declares for it.</summary>
internal static class ShapedReading
{
    public static int? Int(this NodeReader r, MapView? map, MapShape shape, string key, string what)
    {
        var range = shape.Ints(key);
        return r.Int(map?[key], what, range.Min, range.Max);
    }

    public static double? Number(this NodeReader r, MapView? map, MapShape shape, string key, string what)
    {
        var range = shape.Numbers(key);
        return r.Number(map?[key], what, range.Min, range.Max);
    }
}
