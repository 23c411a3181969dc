namespace HomeLab.Review;

/// <summary>One step of an alignment: both sides kept (<c>Before</c> and <c>After</c> set), removed, or added.</summary>
internal readonly record struct Step(int? Before, int? After);
