// One jsii kernel serves the whole test process; synthesis is shared (SynthesizedStacks) and not run from parallel threads.
[assembly: DoNotParallelize]
