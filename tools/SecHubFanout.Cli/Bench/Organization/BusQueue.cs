namespace SecHubFanout.Cli.Bench.Organization;

/// <summary>The central bus as the coordinator sees it: events in no particular order (each taken at random), at least once.</summary>
internal sealed class BusQueue(int seed)
{
    private readonly List<(byte[] Event, bool Forged)> _events = [];
    private readonly Random _random = new(seed);

    public int Count
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    public void Add(byte[] envelope, bool forged)
    {
        lock (_events)
        {
            _events.Add((envelope, forged));
        }
    }

    public bool TryTake(out byte[] envelope, out bool forged)
    {
        lock (_events)
        {
            if (_events.Count == 0)
            {
                envelope = [];
                forged = false;
                return false;
            }

            var i = _random.Next(_events.Count);
            (envelope, forged) = _events[i];
            _events[i] = _events[^1];
            _events.RemoveAt(_events.Count - 1);
            return true;
        }
    }
}
