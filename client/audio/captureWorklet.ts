/**
 * AudioWorklet: microphone → 16 kHz mono s16 frames of 20 ms, with the frame's RMS level.
 * Runs on the audio thread at the context's rate (44.1/48 kHz usually) and decimates with a box
 * filter (an average over each output sample's span), which is enough anti-aliasing for speech.
 */
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessorLike): void;
interface AudioWorkletProcessorLike {
  readonly port: MessagePort;
  process(inputs: Float32Array[][]): boolean;
}
declare const AudioWorkletProcessor: {
  prototype: AudioWorkletProcessorLike;
  new (): AudioWorkletProcessorLike;
};

const TARGET_RATE_HZ = 16_000;
const FRAME_SAMPLES = 320; // 20 ms at 16 kHz

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly ratio = sampleRate / TARGET_RATE_HZ;
  private phase = 0;
  private acc = 0;
  private accCount = 0;
  private frame = new Int16Array(FRAME_SAMPLES);
  private filled = 0;
  private sumSquares = 0;

  override process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      this.acc += channel[i]!;
      this.accCount++;
      this.phase += 1;
      if (this.phase >= this.ratio) {
        this.phase -= this.ratio;
        this.push(this.acc / this.accCount);
        this.acc = 0;
        this.accCount = 0;
      }
    }
    return true;
  }

  private push(sample: number) {
    const s = Math.max(-1, Math.min(1, sample));
    this.frame[this.filled++] = s < 0 ? s * 32768 : s * 32767;
    this.sumSquares += s * s;
    if (this.filled < FRAME_SAMPLES) return;
    const level = Math.sqrt(this.sumSquares / FRAME_SAMPLES);
    this.port.postMessage({ pcm: this.frame.buffer, level }, [this.frame.buffer]);
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.filled = 0;
    this.sumSquares = 0;
  }
}

registerProcessor('maya-capture', CaptureProcessor);
