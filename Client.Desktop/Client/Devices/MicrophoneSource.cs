using WsAudio.Audio;
using WsAudio.Client.Sending;

namespace WsAudio.Client.Devices;

/// <summary>Captures a microphone through PortAudio as 48 kHz mono (downmixed and resampled when the device needs it).</summary>
public sealed class MicrophoneSource : IAudioSource
{
    private readonly DeviceStream _stream;
    private readonly Resampler? _resampler;
    private readonly Queue<float> _ready = new();
    private readonly float[] _block;

    public MicrophoneSource(AudioDevice device)
    {
        Device = device;
        _stream = new DeviceStream(device, input: true, framesPerBuffer: 480);
        _resampler = _stream.SampleRate == 48000 ? null : new Resampler(_stream.SampleRate, 48000);
        _block = new float[_stream.SampleRate / 100 * _stream.Channels];
    }

    public AudioDevice Device { get; }

    public bool IsLive => true;

    public int Read(Span<float> frame)
    {
        while (_ready.Count < frame.Length)
        {
            _stream.Read(_block);
            float[] mono = Downmix.ToMono(_block, _stream.Channels);
            foreach (float sample in _resampler?.Process(mono) ?? mono)
            {
                _ready.Enqueue(sample);
            }
        }

        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = _ready.Dequeue();
        }

        return frame.Length;
    }

    public void Dispose() => _stream.Dispose();
}
