using System.Diagnostics;

using HomeLab.Modules;
using HomeLab.Modules.Proxy;

namespace HomeLab.Benchmarks;

/// <summary>
/// What one wrong basic-auth guess costs the server at each bcrypt cost: the median time of checking a wrong
/// password against a hash of that cost, on this machine, one core. Caddy's check (Go's x/crypto/bcrypt) does the
/// same work; <see cref="PasswordHasher.Cost"/> is chosen so a guess stays under ~100 ms on a small host. CPU time
/// is printed beside wall time: on a shared, loaded machine only the CPU time says what a guess costs.
/// </summary>
internal static class BcryptBenchmark
{
    public static void Run()
    {
        Console.WriteLine($"bcrypt: one wrong-password check per cost (median), homelab hash-password uses cost {PasswordHasher.Cost}");
        Console.WriteLine($"{"cost",5} {"wall ms",8} {"cpu ms",7} {"runs",5}");
        for (var cost = 8; cost <= 14; cost++)
        {
            var hash = BCrypt.Net.BCrypt.HashPassword("correct horse battery staple", cost);
            var runs = cost <= 11 ? 9 : 3;
            var times = new List<double>();
            var cpu = new List<double>();
            using var process = Process.GetCurrentProcess();
            for (var i = 0; i < runs; i++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                if (PasswordHasher.Verify("wrong guess " + i, hash))
                {
                    throw new InvalidOperationException("a wrong password verified");
                }

                times.Add(clock.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }

            times.Sort();
            cpu.Sort();
            Console.WriteLine($"{cost,5} {times[runs / 2],8:0.0} {cpu[runs / 2],7:0.0} {runs,5}{(cost == PasswordHasher.Cost ? "  <- homelab" : cost == 14 ? "  <- caddy hash-password" : "")}");
        }
    }
}
