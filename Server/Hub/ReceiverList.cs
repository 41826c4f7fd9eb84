namespace WsAudio.Server.Hub;

/// <summary>
/// The members that receive a room's audio, read by the fan-out without a lock while members join and leave
/// under the room's lock.
/// </summary>
/// <remarks>
/// Receivers sit in segments of <see cref="SegmentSize"/>. An add writes the receiver into a free slot and then
/// publishes the segment's larger count, so joining costs O(1) and copies nothing, however large the room; a
/// remove publishes a compacted copy of that one segment. Receivers never move between segments, so a reader
/// that takes the segment table once and each segment once sees every receiver present for the whole read
/// exactly once; one added or removed meanwhile it may or may not see. Segments also give the fan-out its unit
/// of work when a frame is spread over several threads.
/// </remarks>
internal sealed class ReceiverList
{
    /// <summary>Receivers per segment: a compacting copy moves at most this many references.</summary>
    public const int SegmentSize = 128;

    private readonly Stack<Segment> _withRoom = new();
    private Table _table = new(4);
    private int _count;

    /// <summary>Receivers now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The receivers as they are now, for one fan-out.</summary>
    public Snapshot Read() => new(Volatile.Read(ref _table));

    /// <summary>Adds <paramref name="receiver"/>. Callers serialize adds and removes.</summary>
    public void Add(Participant receiver)
    {
        while (_withRoom.TryPeek(out var open) && (open.Replaced || open.Count == SegmentSize))
        {
            // Full, or replaced by a compacted copy that was pushed in its place.
            _withRoom.Pop();
        }

        if (!_withRoom.TryPeek(out var segment))
        {
            segment = new Segment(_table.Count);
            _withRoom.Push(segment);
            AppendSegment(segment);
        }

        segment.Slots[segment.Count] = receiver;
        receiver.ReceiverSegment = segment.Index;
        Volatile.Write(ref segment.Count, segment.Count + 1);
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Removes <paramref name="receiver"/>; false if it is not here. Callers serialize adds and removes.</summary>
    public bool Remove(Participant receiver)
    {
        int index = receiver.ReceiverSegment;
        if (index < 0 || index >= _table.Count)
        {
            return false;
        }

        var segment = _table.Items[index];
        int at = Array.IndexOf(segment.Slots, receiver, 0, segment.Count);
        if (at < 0)
        {
            return false;
        }

        var copy = new Segment(index) { Count = segment.Count - 1 };
        Array.Copy(segment.Slots, copy.Slots, at);
        Array.Copy(segment.Slots, at + 1, copy.Slots, at, segment.Count - at - 1);
        segment.Replaced = true;
        Volatile.Write(ref _table.Items[index], copy);
        _withRoom.Push(copy);
        receiver.ReceiverSegment = -1;
        Volatile.Write(ref _count, _count - 1);
        return true;
    }

    private void AppendSegment(Segment segment)
    {
        var table = _table;
        if (table.Count == table.Items.Length)
        {
            // Readers holding the old table keep a consistent view of it: it is never written again.
            var larger = new Table(table.Items.Length * 2) { Count = table.Count };
            Array.Copy(table.Items, larger.Items, table.Count);
            larger.Items[table.Count] = segment;
            larger.Count++;
            Volatile.Write(ref _table, larger);
            return;
        }

        table.Items[table.Count] = segment;
        Volatile.Write(ref table.Count, table.Count + 1);
    }

    /// <summary>The segments of the list at one moment; each segment is read once, when asked for.</summary>
    public readonly struct Snapshot
    {
        private readonly Table _table;

        internal Snapshot(Table table)
        {
            _table = table;
            SegmentCount = Volatile.Read(ref table.Count);
        }

        public int SegmentCount { get; }

        /// <summary>The receivers of segment <paramref name="index"/>, as they are now.</summary>
        public ReadOnlySpan<Participant> Segment(int index)
        {
            var segment = Volatile.Read(ref _table.Items[index]);
            return segment.Slots.AsSpan(0, Volatile.Read(ref segment.Count));
        }
    }

    internal sealed class Table(int capacity)
    {
        public readonly Segment[] Items = new Segment[capacity];
        public int Count;
    }

    internal sealed class Segment(int index)
    {
        public readonly Participant[] Slots = new Participant[SegmentSize];
        public readonly int Index = index;
        public int Count;

        // Writer-only: superseded by a compacted copy, so no longer a place to add.
        public bool Replaced;
    }
}
