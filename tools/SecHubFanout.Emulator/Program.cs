Console.Error.WriteLine("Run the emulator with: dotnet run --project tools/SecHubFanout.Cli -- emulator --help");
return 2;
