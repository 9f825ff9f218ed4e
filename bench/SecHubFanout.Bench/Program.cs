using BenchmarkDotNet.Running;
using SecHubFanout.Bench;

// "cpu": process CPU time per finding, which stays meaningful on a shared, loaded machine where wall-clock means do not.
if (args.Length > 0 && args[0] == "cpu")
{
    await CpuTimeRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, args.Length > 2 ? args[2] : null);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PerFindingBenchmarks).Assembly).Run(args);
