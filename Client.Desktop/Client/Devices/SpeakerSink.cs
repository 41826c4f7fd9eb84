using WsAudio.Audio;
using WsAudio.Client.Playback;

namespace WsAudio.Client.Devices;

/// <summary>Plays 48 kHz mono on a speaker through PortAudio (resampled when the device needs another rate).</summary>
public sealed class SpeakerSink : IAudioSink
{
    private readonly DeviceStream _stream;
    private readonly Resampler? _resampler;

    public SpeakerSink(AudioDevice device)
    {
        Device = device;
        _stream = new DeviceStream(device, input: false, framesPerBuffer: 480);
        _resampler = _stream.SampleRate == 48000 ? null : new Resampler(48000, _stream.SampleRate);
    }

    public AudioDevice Device { get; }

    public void Write(ReadOnlySpan<float> samples)
    {
        float[] converted = _resampler?.Process(samples) ?? samples.ToArray();
        if (converted.Length > 0)
        {
            _stream.Write(converted);
        }
    }

    public void Dispose() => _stream.Dispose();
}
