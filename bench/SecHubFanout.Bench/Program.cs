using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(SecHubFanout.Bench.PerFindingBenchmarks).Assembly).Run(args);
