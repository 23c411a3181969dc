namespace HomeLab.Hooks;

/// <summary>Where one pull reports its progress and end.</summary>
internal interface IPullView
{
    void Progress(string model, PullProgress progress);

    void Done(string model, string outcome);
}
