using HomeLab.Conventions;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Container images a stack names: a valid reference, pinned to a version.</summary>
internal static class ImageReference
{
    public static void Check(string image, YamlValue node, string what, NodeReader r)
    {
        if (!Names.Image().IsMatch(image))
        {
            r.Error(node.At, $"{what} image '{image}' is not a valid image reference", $"write an image such as {Pins.OllamaImage}");
            return;
        }

        var lastSlash = image.LastIndexOf('/');
        var tagged = image.IndexOf(':', lastSlash + 1) >= 0 || image.Contains('@', StringComparison.Ordinal);
        if (!tagged || image.EndsWith(":latest", StringComparison.Ordinal))
        {
            r.Error(node.At, $"{what} image '{image}' is not pinned to a version", $"add a version tag such as ':{Pins.OllamaVersion}' so every deploy runs the same image");
        }
    }
}
