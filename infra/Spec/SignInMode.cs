namespace HomeLab.Spec;

/// <summary>Who signs the household in to the chat front end.</summary>
internal enum SignInMode
{
    /// <summary>The proxy (the stack's basic-auth users) and passes the user on as trusted headers.</summary>
    Proxy,

    /// <summary>Open WebUI's own accounts; sign-up closes after the first admin.</summary>
    Webui,
}
