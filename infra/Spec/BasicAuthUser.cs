namespace HomeLab.Spec;

internal sealed record BasicAuthUser(string User, string PasswordHashSecret);
