using RenderFarm.Contracts.V1;
using RenderFarm.Node.Rendering;
using RenderFarm.TextToSpeech;

namespace RenderFarm.Node.Tests.Speech;

/// <summary>Word timings from libespeak-ng's own word events, checked against the audio it made.</summary>
public sealed class WordTimingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rf-speech-").FullName;

    private async Task<(double Duration, List<SpokenWord> Words, string Wav)> SpeakAsync(string text, int rate = 0)
    {
        var synthesizer = new SpeechSynthesizer(new RenderOptions().SpeechTimeout);
        var wav = Path.Combine(_directory, $"{Guid.NewGuid():N}.wav");
        var (duration, words) = await synthesizer.SynthesizeAsync(new Contracts.V1.Speech { Text = text, Rate = rate }, wav, default);
        return (duration, words, wav);
    }

    [Fact]
    public async Task Words_AreTheWrittenWords_InOrder_WithinTheAudio()
    {
        var (duration, words, wav) = await SpeakAsync("One. Two. Three.");

        Assert.Equal(["One.", "Two.", "Three."], words.Select(w => w.Text));
        Assert.All(words, w => Assert.True(w.Start >= 0 && w.End > w.Start && w.End <= duration, $"{w}"));
        Assert.All(words.Zip(words.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start, $"{p.First} overlaps {p.Second}"));
        var facts = await FFMpegCore.FFProbe.AnalyseAsync(wav);
        Assert.InRange(facts.Duration.TotalSeconds, duration - 0.01, duration + 0.01);
    }

    [Fact]
    public async Task Words_StartWhenTheirSoundStarts_AndEndBeforeThePause()
    {
        var (_, words, wav) = await SpeakAsync("One. Two. Three.", 140);
        var sounds = Text.InkBox.Sounds(wav);

        // silencedetect also reports the silence at the end of the file as a last "sound" from there on.
        Assert.True(sounds.Count >= 3);
        foreach (var (word, sound) in words.Zip(sounds))
        {
            Assert.InRange(word.Start, sound.Start - 0.05, sound.Start + 0.05);
            Assert.InRange(word.End, sound.End - 0.1, sound.End + 0.1);
        }
    }

    [Fact]
    public async Task OneWrittenWord_SpokenAsSeveral_IsOneCaptionWord_EvenAfterNonAscii()
    {
        var (_, words, _) = await SpeakAsync("Ça va? 3.5 naïve — apples");

        Assert.Equal(["Ça", "va?", "3.5", "naïve —", "apples"], words.Select(w => w.Text));
        Assert.Equal(words.Select(w => w.Start).Order(), words.Select(w => w.Start));
    }

    [Fact]
    public async Task UnknownVoice_FailsWithSpeechFailed()
    {
        var synthesizer = new SpeechSynthesizer(new RenderOptions().SpeechTimeout);
        var e = await Assert.ThrowsAsync<SpeechException>(() => synthesizer.SynthesizeAsync(
            new Contracts.V1.Speech { Text = "hi", Voice = "xx-nope" }, Path.Combine(_directory, "x.wav"), default));
        Assert.Equal("SPEECH_FAILED", e.Code);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
