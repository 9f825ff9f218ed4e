namespace SecHubFanout.Core.Errors;

/// <summary>A host could not save a checkpoint durably (see <see cref="Checkpoints.ICheckpointStore"/>): the Region stops, because
/// going on would store parts that a retry could not know about.</summary>
public sealed class CheckpointSaveException : Exception
{
    public CheckpointSaveException()
    {
    }

    public CheckpointSaveException(string message)
        : base(message)
    {
    }

    public CheckpointSaveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the store at <paramref name="location"/> that failed with <paramref name="cause"/>.</summary>
    public CheckpointSaveException(string location, ServiceCallException cause)
        : base($"Saving the checkpoint to {location} failed ({cause?.ErrorCode ?? cause?.Kind.ToString()}): {cause?.Message}", cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        Cause = cause;
    }

    /// <summary>The service failure behind it, if any.</summary>
    public ServiceCallException? Cause { get; }
}
