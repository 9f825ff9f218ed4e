namespace SecHubFanout.Core.Parts;

/// <summary>Where a part is written while it fills: a temporary file in production, memory in tests.</summary>
public interface IPartSpool
{
    /// <summary>Opens an empty, readable, writable, seekable stream that frees its storage when disposed.</summary>
    Stream Open();
}
