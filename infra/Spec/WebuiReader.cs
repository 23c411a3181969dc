using HomeLab.Conventions;
using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads 'webui:': the chat front end's host, instances, domain, storage, image and sign-in.</summary>
internal static class WebuiReader
{
    public static WebuiSpec? Read(string stackName, YamlValue node, NodeReader r)
    {
        var map = r.Map(node, "webui", SpecShape.Webui.Keys);
        if (map is null)
        {
            return null;
        }

        var host = r.Text(map["host"], "webui host");
        if (host is null && map["host"] is null)
        {
            r.Error(map.At, "webui has no 'host'", "add 'host:' naming the host the proxy runs on");
        }

        var domain = r.Text(map["domain"], "webui domain");
        if (domain is null && map["domain"] is null)
        {
            r.Error(map.At, "webui has no 'domain'", "add 'domain:' with the name people open in a browser, e.g. chat.home.arpa");
        }
        else if (domain is not null && !Names.IsAddress(domain))
        {
            r.Error(map["domain"]!.At, $"webui domain '{domain}' is not a host name", "write a DNS name such as chat.home.arpa");
        }

        var image = r.Text(map["image"], "webui image");
        if (image is not null)
        {
            ImageReference.Check(image, map["image"]!, "webui", r);
        }

        var instances = r.List(map["instances"], "webui instances").Select(i => r.Text(i, "webui instance")).OfType<string>().ToList();
        if (map["instances"] is not null && instances.Count == 0 && r.List(map["instances"], "webui instances").Count == 0)
        {
            r.Error(map["instances"]!.At, "webui lists no instances", "name at least one instance, or remove 'instances:' to use every instance on its host");
        }

        var storage = InstancesReader.ReadStorage(map["storage"], ResourceNames.WebuiDataVolume(stackName), "webui", r);
        var signIn = r.Enum(map["signIn"], "webui signIn", SpecShape.SignInModes) ?? SpecShape.SignInModes.Value(SpecShape.Webui.Default<string>("signIn"));
        var secretKey = SecretKeys.Read(map["secretKey"], "webui secretKey", r) ?? SpecShape.Webui.Default<string>("secretKey");
        var adminEmail = r.Text(map["adminEmail"], "webui adminEmail");
        if (adminEmail is not null && !IsEmail(adminEmail))
        {
            r.Error(map["adminEmail"]!.At, $"webui adminEmail '{adminEmail}' is not an e-mail address", "write an address such as admin@home.arpa");
        }

        var adminPassword = SecretKeys.Read(map["adminPassword"], "webui adminPassword", r);
        if (signIn is SignInMode.Webui && (adminEmail is null || adminPassword is null) && (map["adminEmail"] is null || map["adminPassword"] is null))
        {
            r.Error(map.KeyAt("signIn"), "webui signIn is 'webui' but names no first admin",
                "add 'adminEmail: admin@home.arpa' and 'adminPassword: webuiAdminPassword' (a secret config key); Open WebUI creates that admin on first start and sign-up stays closed");
        }
        else if (signIn is SignInMode.Proxy && (map["adminEmail"] is not null || map["adminPassword"] is not null))
        {
            r.Error(map.KeyAt(map["adminEmail"] is not null ? "adminEmail" : "adminPassword"), "webui names an admin, but sign-in is by the proxy",
                "remove 'adminEmail' and 'adminPassword' (the proxy's basic-auth users sign in), or set 'signIn: webui'");
        }

        var openAi = r.Bool(map["openaiApi"], "webui openaiApi") ?? SpecShape.Webui.Default<bool>("openaiApi");
        return new WebuiSpec(host ?? "", instances, domain ?? "", image, storage, signIn, secretKey,
            signIn is SignInMode.Webui ? adminEmail : null, signIn is SignInMode.Webui ? adminPassword : null, openAi, map.At);
    }

    private static bool IsEmail(string value) =>
        value.IndexOf('@', StringComparison.Ordinal) is var at and > 0
        && Names.BasicAuthUser().IsMatch(value[..at])
        && Names.IsAddress(value[(at + 1)..]);
}
