namespace HomeLab.Review;

internal enum Effect
{
    Create,
    Delete,
    UpdateInPlace,

    /// <summary>Deleted and created again: a container loses its loaded models and running requests.</summary>
    Replace,

    /// <summary>A command resource whose command runs again (pulumi-command runs <c>create</c> on update and on replacement).</summary>
    RunAgain,

    /// <summary>A change to a resource type whose provider behaviour is not modelled.</summary>
    NotModelled,
}
