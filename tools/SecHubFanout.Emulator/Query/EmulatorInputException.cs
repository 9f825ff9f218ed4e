namespace SecHubFanout.Emulator.Query;

/// <summary>A request Security Hub would reject with 400 InvalidInputException.</summary>
internal sealed class EmulatorInputException(string message) : Exception(message);
