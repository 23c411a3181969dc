using System.Text;

namespace HomeLab.Modules.Proxy;

/// <summary>Caddyfile lines indented with tabs.</summary>
internal sealed class CaddyfileWriter
{
    private readonly StringBuilder text = new();

    public void Line(int depth, string line) => text.Append('\t', depth).Append(line).Append('\n');

    public void Open(int depth, string head) => Line(depth, head.Length == 0 ? "{" : head + " {");

    public void Close(int depth) => Line(depth, "}");

    public void Blank() => text.Append('\n');

    public override string ToString() => text.ToString();
}
