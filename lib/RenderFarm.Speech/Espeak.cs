using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RenderFarm.Contracts;

namespace RenderFarm.TextToSpeech;

/// <summary>
/// libespeak-ng (installed with the espeak-ng package) in synchronous mode: samples and word
/// events arrive through the synth callback. The library keeps global state and is not
/// thread-safe, so one synthesis runs at a time per process.
/// </summary>
internal static partial class Espeak
{
    private const string Library = "libespeak-ng.so.1";
    private const int AudioOutputSynchronous = 2, InitializeDontExit = 0x8000;
    private const int ParameterRate = 1, PositionCharacter = 1, CharsUtf8 = 1, EndPause = 0x1000;
    private const int EventListTerminated = 0, EventWord = 1;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static int _sampleRate;
    private static Session? _current;

    /// <summary>One utterance: 16-bit mono samples and the word events (character position, length, sample).</summary>
    public sealed class Session(CancellationToken cancellationToken)
    {
        public List<short> Samples { get; } = [];

        public List<(int Position, int Length, int Sample)> Words { get; } = [];

        public int SampleRate { get; set; }

        public CancellationToken CancellationToken { get; } = cancellationToken;
    }

    /// <summary>Speaks <paramref name="text"/> (plain text, never SSML) with a voice and words per minute.</summary>
    /// <exception cref="SpeechException">SPEECH_FAILED: the library is missing, the voice unknown or synthesis failed.</exception>
    public static async Task<Session> SynthesizeAsync(string text, string voice, int rate, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Synthesize(text, voice, rate, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static unsafe Session Synthesize(string text, string voice, int rate, CancellationToken cancellationToken)
    {
        try
        {
            if (_sampleRate <= 0)
            {
                _sampleRate = espeak_Initialize(AudioOutputSynchronous, 200, null, InitializeDontExit);
                if (_sampleRate <= 0)
                {
                    throw new SpeechException(ErrorReasons.SpeechFailed, "espeak-ng could not be initialised (is espeak-ng-data installed?).");
                }
                espeak_SetSynthCallback(&OnSynth);
            }
            if (espeak_SetVoiceByName(voice) != 0)
            {
                throw new SpeechException(ErrorReasons.SpeechFailed, $"espeak-ng has no voice '{voice}'.");
            }
            espeak_SetParameter(ParameterRate, rate, 0);
            var session = new Session(cancellationToken) { SampleRate = _sampleRate };
            _current = session;
            var bytes = System.Text.Encoding.UTF8.GetBytes(text + "\0");
            var result = espeak_Synth(bytes, (nuint)bytes.Length, 0, PositionCharacter, 0, CharsUtf8 | EndPause, null, null);
            espeak_Synchronize();
            _current = null;
            cancellationToken.ThrowIfCancellationRequested();
            return result == 0 ? session : throw new SpeechException(ErrorReasons.SpeechFailed, $"espeak-ng failed with error {result}.", retryable: true);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new SpeechException(ErrorReasons.SpeechFailed, $"libespeak-ng is not installed: {e.Message}");
        }
    }

    // espeak_EVENT on LP64: int type, uint unique_identifier, int text_position, int length,
    // int audio_position, int sample, void* user_data, union id: 40 bytes.
    [StructLayout(LayoutKind.Sequential)]
    private struct Event
    {
        public int Type;
        public uint UniqueIdentifier;
        public int TextPosition;
        public int Length;
        public int AudioPosition;
        public int Sample;
        public IntPtr UserData;
        public long Id;
    }

    // Returning 1 aborts the synthesis: that is how a cancelled render stops it.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int OnSynth(short* wav, int count, Event* events)
    {
        var session = _current;
        if (session is null || session.CancellationToken.IsCancellationRequested)
        {
            return 1;
        }
        if (wav is not null && count > 0)
        {
            session.Samples.AddRange(new ReadOnlySpan<short>(wav, count));
        }
        for (var e = events; e is not null && e->Type != EventListTerminated; e++)
        {
            if (e->Type == EventWord)
            {
                session.Words.Add((e->TextPosition, e->Length, e->Sample));
            }
        }
        return 0;
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int espeak_Initialize(int output, int bufferLength, string? path, int options);

    [LibraryImport(Library)]
    private static unsafe partial void espeak_SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, Event*, int> callback);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int espeak_SetVoiceByName(string name);

    [LibraryImport(Library)]
    private static partial int espeak_SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library)]
    private static unsafe partial int espeak_Synth(byte[] text, nuint size, uint position, int positionType, uint endPosition, uint flags, uint* uniqueIdentifier, void* userData);

    [LibraryImport(Library)]
    private static partial int espeak_Synchronize();
}
