using System.CommandLine;

using HomeLab.Cli.Views;
using HomeLab.Program;
using HomeLab.Review;
using HomeLab.Spec;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>
/// Compiles every stack at a base commit and in the working tree and shows what changed: in the stack file's terms,
/// whether deploying replaces each resource or updates it in place, and property by property in the programs.
/// Needs neither Pulumi nor credentials, so it runs for every pull request, forks included.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var stacks = new Argument<string[]>("STACK") { Description = "Stacks to compare (default: every stack at either side)", Arity = ArgumentArity.ZeroOrMore };
        var baseRef = new Option<string?>("--base") { Description = "Git ref to compare with (default: the merge base of HEAD with main, or origin/main)", HelpName = "REF" };
        var format = new Option<string>("--format") { Description = "markdown (for a pull-request comment), text or json", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "text", "json");
        var command = new Command("diff",
            "Show which resources and properties each stack's compiled program adds, removes or changes compared with a git ref, secrets masked " +
            "(STACK is optional: every stack at either side when none is given). " +
            "Exit code: 0 nothing changed, 1 something changed, 2 error (such as a stack file that is invalid at either side).")
        {
            stacks, baseRef, format,
        };
        command.SetAction(result => Cli.Guard(() => Run(
            ProjectDirectory.Find(),
            new DiffRequest(result.GetValue(baseRef), Enum.Parse<DiffFormat>(result.GetValue(format)!, ignoreCase: true), result.GetValue(stacks) ?? []),
            SystemToolRunner.Instance,
            Console.Out,
            Console.Error)));
        return command;
    }

    public static int Run(ProjectDirectory workspace, DiffRequest request, IToolRunner runner, TextWriter output, TextWriter errors)
    {
        try
        {
            return Compare(workspace, request, runner, output, errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Exit code 1 means "changed" here, so a failure to read must not end with it.
            throw new UsageException(e.Message);
        }
    }

    private static int Compare(ProjectDirectory workspace, DiffRequest request, IToolRunner runner, TextWriter output, TextWriter errors)
    {
        var git = new GitHistory(workspace.Root, runner);
        var against = request.Base is null ? git.DefaultBase() : git.Resolve(request.Base);
        var requested = request.Stacks;
        var atBase = git.StackNames(against);
        var now = workspace.StackNames().ToHashSet(StringComparer.Ordinal);
        foreach (var name in requested.Where(n => !Names.Resource().IsMatch(n) || (!atBase.Contains(n) && !now.Contains(n))))
        {
            throw new UsageException(ProjectDirectory.UnknownStack($"no stack '{name}' at {against.Ref} or in the working tree", name, atBase.Union(now).Order(StringComparer.Ordinal).ToList()));
        }

        var names = requested.Count > 0 ? requested.Distinct(StringComparer.Ordinal).ToList() : atBase.Union(now).Order(StringComparer.Ordinal).ToList();
        var diffs = new List<StackDiff>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            var path = $"stacks/{name}.yaml";
            var before = atBase.Contains(name) ? Compile(name, git.Show(against, path), $"at {against.Ref} ({against.Short})", problems) : null;
            var after = now.Contains(name) ? Compile(name, File.ReadAllText(workspace.StackPath(name)), "in the working tree", problems) : null;
            var programs = ProgramDiff.Compare(name, before?.Program, after?.Program);
            diffs.Add(ReplacementJudge.Judge(programs, before?.Program, after?.Program, ProviderReplacementRules.Instance) with
            {
                Spec = SpecDiff.Compare(before?.Spec, after?.Spec),
            });
        }

        if (problems.Count > 0)
        {
            foreach (var line in problems)
            {
                errors.WriteLine(line);
            }

            return ExitCodes.BadInput;
        }

        output.Write(DiffReport.Render(request.Format, against, diffs));
        return diffs.Any(d => d.HasChanges) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static (StackSpec Spec, PulumiProgram Program)? Compile(string name, string text, string side, List<string> problems)
    {
        try
        {
            var spec = Targets.Load(name, text, $"stacks/{name}.yaml");
            return (spec, Compiler.Compile(spec));
        }
        catch (StackFileException e)
        {
            problems.Add($"homelab diff: stacks/{name}.yaml is invalid {side}:");
            problems.AddRange(e.Diagnostics.Select(d => d.ToString()));
            return null;
        }
    }
}
