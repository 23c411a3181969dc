using HomeLab.Conventions;

namespace HomeLab.Tests.Conventions;

public class ContentDigestTests
{
    [Fact]
    public void The_hex_of_a_digest_is_what_sha256sum_prints_for_the_same_text()
    {
        // sha256sum of the empty input, as coreutils prints it.
        ContentDigest.Hex(ContentDigest.Of("")).Should().Be("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Text_that_is_not_a_content_digest_is_refused_rather_than_cut()
    {
        var act = () => ContentDigest.Hex("md5:0123");

        act.Should().Throw<ArgumentException>().WithMessage("*not a sha256: content digest*");
    }
}
