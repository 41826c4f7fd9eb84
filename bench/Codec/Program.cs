using WsAudio.Audio.Opus;
using WsAudio.Audio.Wav;

// Encodes and decodes a speech file (looped to a minute) frame by frame, as a sender and a listener would,
// and reports how many seconds of audio one second of this thread's CPU time handles.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: wsaudio-bench-codec SPEECH.wav");
    return 2;
}

float[] speech = WavReader.Read(args[0]).ToMono48k();
const int Seconds = 60;
var audio = new float[48000 * Seconds];
for (int i = 0; i < audio.Length; i++)
{
    audio[i] = speech[i % speech.Length];
}

Console.WriteLine($"{OpusPlatform.LibraryVersion}, {Seconds} s of speech, 48 kHz mono, one thread");
Console.WriteLine();
Console.WriteLine("| settings | encode × real time | decode × real time | mean packet |");
Console.WriteLine("|---|---|---|---|");
var cases = new (string Name, OpusEncoderOptions Options)[]
{
    ("default: voip, 32 kbit/s, 20 ms, complexity 10", new OpusEncoderOptions()),
    ("voip, 32 kbit/s, 20 ms, complexity 5", new OpusEncoderOptions { Complexity = 5 }),
    ("voip, 32 kbit/s, 20 ms, complexity 0", new OpusEncoderOptions { Complexity = 0 }),
    ("audio, 64 kbit/s, 20 ms, complexity 10", new OpusEncoderOptions { Application = OpusApplication.Audio, Bitrate = 64_000 }),
    ("lowdelay, 32 kbit/s, 10 ms, complexity 10", new OpusEncoderOptions { Application = OpusApplication.LowDelay, FrameDurationMicros = 10_000 }),
    ("voip, 24 kbit/s, 20 ms, FEC + DTX", new OpusEncoderOptions { Bitrate = 24_000, InbandFec = true, ExpectedPacketLossPercent = 10, Dtx = true }),
};

// Warm up the JIT and the CPU caches, so the first row is not penalized.
Decode(Encode(audio[..(48000 * 5)], new OpusEncoderOptions()).Packets, 960);

foreach (var (name, options) in cases)
{
    var (encodeSpeed, packets) = Encode(audio, options);
    double decodeSpeed = Decode(packets, options.FrameSamples);
    Console.WriteLine($"| {name} | {encodeSpeed:F0}× | {decodeSpeed:F0}× | {packets.Average(p => p.Length):F0} bytes |");
}

return 0;

static (double Speed, List<byte[]> Packets) Encode(float[] audio, OpusEncoderOptions options)
{
    using var encoder = new OpusEncoder(options);
    var packets = new List<byte[]>(audio.Length / options.FrameSamples);
    var buffer = new byte[OpusEncoder.MaxPacketBytes];
    var cpu = ThreadCpu.Start();
    for (int offset = 0; offset + options.FrameSamples <= audio.Length; offset += options.FrameSamples)
    {
        int length = encoder.Encode(audio.AsSpan(offset, options.FrameSamples), buffer);
        packets.Add(buffer[..length]);
    }

    return (audio.Length / 48000.0 / cpu.Elapsed.TotalSeconds, packets);
}

static double Decode(List<byte[]> packets, int frameSamples)
{
    using var decoder = new OpusDecoder();
    var pcm = new float[OpusDecoder.MaxFrameSamples];
    var cpu = ThreadCpu.Start();
    foreach (var packet in packets)
    {
        if (packet.Length <= 2)
        {
            decoder.Conceal(pcm.AsSpan(0, frameSamples));
        }
        else
        {
            decoder.Decode(packet, pcm);
        }
    }

    return packets.Count * frameSamples / 48000.0 / cpu.Elapsed.TotalSeconds;
}

/// <summary>CPU time of the calling thread (Linux), so other processes on the machine do not distort the figure.</summary>
internal readonly partial struct ThreadCpu
{
    private const int ClockThreadCpuTime = 3;
    private readonly long _start;

    private ThreadCpu(long start) => _start = start;

    public TimeSpan Elapsed => TimeSpan.FromTicks((Now() - _start) / 100);

    public static ThreadCpu Start() => new(Now());

    private static long Now()
    {
        if (ClockGetTime(ClockThreadCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
