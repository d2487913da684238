/**
 * Microphone capture: getUserMedia (echo cancellation, noise suppression, auto gain on) → the
 * capture worklet → 16 kHz mono s16 frames. Failure is a state the UI can explain.
 */
import captureWorkletUrl from './captureWorklet.ts?worker&url';

export type CaptureFailure = 'denied' | 'no-device';

export interface CaptureHandlers {
  onFrame(pcm: ArrayBuffer): void;
  /** RMS level 0..1 of the latest frame. */
  onLevel(level: number): void;
}

export class MicCapture {
  private stream: MediaStream | null = null;
  private node: AudioWorkletNode | null = null;
  private source: MediaStreamAudioSourceNode | null = null;

  constructor(private readonly ctx: AudioContext) {}

  /** Resolves when frames flow; rejects with a `CaptureFailure` reason when the mic cannot be used. */
  async start(handlers: CaptureHandlers): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) throw captureError('no-device');
    // The worklet is loaded before the microphone opens: once it is open, every frame reaches the
    // server (words spoken while the worklet was still loading would be lost).
    await this.ctx.audioWorklet.addModule(captureWorkletUrl);
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          echoCancellation: true,
          noiseSuppression: true,
          autoGainControl: true,
          channelCount: 1,
        },
      });
    } catch (e) {
      const name = e instanceof DOMException ? e.name : '';
      throw captureError(
        name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'no-device',
      );
    }
    this.source = this.ctx.createMediaStreamSource(this.stream);
    this.node = new AudioWorkletNode(this.ctx, 'maya-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
    });
    this.node.port.onmessage = (ev: MessageEvent<{ pcm: ArrayBuffer; level: number }>) => {
      handlers.onLevel(ev.data.level);
      handlers.onFrame(ev.data.pcm);
    };
    this.source.connect(this.node);
  }

  stop(): void {
    this.source?.disconnect();
    this.node?.port.close();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = this.node = this.source = null;
  }
}

export class CaptureError extends Error {
  constructor(readonly reason: CaptureFailure) {
    super(reason === 'denied' ? 'Microphone permission denied.' : 'No microphone found.');
  }
}

function captureError(reason: CaptureFailure) {
  return new CaptureError(reason);
}
