namespace HomeLab.Tests.Docker;

/// <summary>
/// The local Docker engine held by one test run at a time: the compiled program names its networks, volumes and
/// containers (homelab-local-internal, …), so two test runs on one machine (two clones, or a developer's run beside
/// CI) would create and remove each other's resources. An exclusive lock on a file beside the engine's other users,
/// which the kernel releases when the holding process ends, so a killed run never leaves it held.
/// </summary>
internal sealed class EngineLock : IDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "homelab-tests-docker-engine.lock");
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private readonly FileStream file;

    private EngineLock(FileStream file) => this.file = file;

    /// <summary>Waits, within <see cref="Patience"/>, for the other run to finish with the engine.</summary>
    public static async Task<EngineLock> TakeAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix; a second holder gets an IOException.
                return new EngineLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (IOException e)
            {
                throw new InvalidOperationException($"another test run held the Docker engine ({LockPath}) for {Patience.TotalMinutes:0} minutes", e);
            }
        }
    }

    public void Dispose() => file.Dispose();
}
