using System.Diagnostics;
using System.Globalization;

namespace SecHubFanout.Bench;

/// <summary>Runs each benchmark of <see cref="PerFindingBenchmarks"/> for a number of parts and prints process CPU time and allocation per finding.</summary>
internal static class CpuTimeRun
{
    /// <param name="parts">Measured parts per benchmark (after 10 warm-up parts).</param>
    /// <param name="only">When given, only the benchmark of that name (for profiling one path).</param>
    public static async Task RunAsync(int parts, string? only = null)
    {
        var bench = new PerFindingBenchmarks();
        bench.Setup();
        var cases = new (string Name, Func<Task<long>> Run)[]
        {
            ("SplitOnly", () => Task.FromResult(0L * bench.SplitOnly())),
            ("ParseAndExtract", () => Task.FromResult(0L * bench.ParseAndExtract())),
            ("ParquetSnappy", bench.ParquetSnappy),
            ("ParquetZstd", bench.ParquetZstd),
            ("JsonlGz", bench.JsonlGz),
        };
        Console.WriteLine("| path | CPU µs per finding | findings/s per core | allocated bytes per finding | output bytes per finding | GCs gen0/1/2 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, run) in cases.Where(c => only is null || c.Name == only))
        {
            for (var i = 0; i < 10; i++)
            {
                await run();
            }

            GC.Collect();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            long output = 0;
            for (var i = 0; i < parts; i++)
            {
                output = await run();
            }

            process.Refresh();
            var findings = (double)parts * PerFindingBenchmarks.FindingsPerPart;
            var cpuUs = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / findings;
            var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / findings;
            var collections = string.Join('/', collectionsBefore.Select((before, generation) => GC.CollectionCount(generation) - before));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {cpuUs:F1} | {1_000_000 / cpuUs:N0} | {allocated:N0} | {output / (double)PerFindingBenchmarks.FindingsPerPart:N0} | {collections} |"));
        }

        bench.Cleanup();
    }
}
