namespace HomeLab.Tests.Docker;

public sealed class EngineLockTests
{
    [Fact]
    public async Task A_second_run_waits_for_the_engine_until_the_first_lets_go()
    {
        var first = await EngineLock.TakeAsync();
        var second = EngineLock.TakeAsync();

        var finished = await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(2)));
        finished.Should().NotBeSameAs(second, "the engine is held by the first run");

        first.Dispose();
        using var taken = await second.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
