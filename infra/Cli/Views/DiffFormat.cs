namespace HomeLab.Cli.Views;

/// <summary>Who reads a diff report: a pull-request comment (Markdown), a terminal (text) or a tool (JSON).</summary>
internal enum DiffFormat
{
    Markdown,
    Text,
    Json,
}
