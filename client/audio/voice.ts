/**
 * The client's voice loop: microphone frames to the server (hands-free, push-to-talk or muted),
 * speech events to the captions, reply audio to the player, barge-in, and the speech-activity
 * contract for the avatar (speaking, mic state and level, a mouth on the playback clock).
 */
import { create } from 'zustand';
import type { ServerMessage } from '../../shared/protocol.ts';
import { connection } from '../net/connection.ts';
import { useMaya } from '../store.ts';
import { CaptureError, MicCapture } from './capture.ts';
import { ReplyPlayer } from './playback.ts';
import { setMouthSource, useSpeechActivity } from './speechActivity.ts';

export type MicMode = 'hands-free' | 'push-to-talk';

export interface VoiceUi {
  mode: MicMode;
  /** Push-to-talk key (Space) is held. */
  talking: boolean;
  /** The guest's words as they are recognised (cleared when the utterance ends). */
  guestPartial: string;
  /** The sentence Maya is saying right now, in step with the audio. */
  mayaSentence: string;
  /** The last utterance was not understood (nothing was ordered). */
  notUnderstood: boolean;
}

export const useVoice = create<VoiceUi>(() => ({
  mode: 'hands-free',
  talking: false,
  guestPartial: '',
  mayaSentence: '',
  notUnderstood: false,
}));

/** Timestamped voice events (performance.now() ms) for tests and the latency bench. */
export interface VoiceTraceEntry {
  kind:
    | 'mic_speech_end'
    | 'speech_ended'
    | 'transcript_final'
    | 'reply'
    | 'first_audio'
    | 'playback_started'
    | 'playback_ended'
    | 'interrupted';
  t: number;
  replyId?: number;
  text?: string;
  reason?: string;
}
declare global {
  interface Window {
    __mayaVoiceTrace?: VoiceTraceEntry[];
  }
}
const trace = (entry: Omit<VoiceTraceEntry, 't'>) => {
  const e = { ...entry, t: performance.now() };
  (window.__mayaVoiceTrace ??= []).push(e);
  window.dispatchEvent(new CustomEvent('maya:voice', { detail: e }));
};

class VoiceController {
  private ctx: AudioContext | null = null;
  private capture: MicCapture | null = null;
  private player: ReplyPlayer | null = null;
  private receivedAudioFor = new Set<number>();
  private unsubscribe: (() => void)[] = [];

  /** Ask for the microphone and start listening (call from a click: browsers want a gesture). */
  async start(): Promise<void> {
    const activity = useSpeechActivity.getState();
    if (activity.mic === 'starting' || activity.mic === 'listening' || activity.mic === 'muted')
      return;
    activity.setMic('starting');
    const ctx = (this.ctx ??= new AudioContext());
    await ctx.resume().catch(() => undefined);
    this.ensurePlayer(ctx);
    const capture = new MicCapture(ctx);
    try {
      await capture.start({
        onLevel: (level) => useSpeechActivity.getState().setMicLevel(Math.min(1, level * 4)),
        onFrame: (pcm) => this.frame(pcm),
      });
    } catch (e) {
      capture.stop();
      activity.setMic(e instanceof CaptureError ? e.reason : 'no-device');
      return;
    }
    this.capture = capture;
    useSpeechActivity.getState().setMic('listening');
  }

  stop(): void {
    this.capture?.stop();
    this.capture = null;
    this.player?.stop();
    useSpeechActivity.getState().setMic('off');
    useSpeechActivity.getState().setMicLevel(0);
  }

  setMuted(muted: boolean): void {
    const mic = useSpeechActivity.getState().mic;
    if (mic !== 'listening' && mic !== 'muted') return;
    useSpeechActivity.getState().setMic(muted ? 'muted' : 'listening');
    if (muted) connection.send({ type: 'end_of_speech' });
  }

  setMode(mode: MicMode): void {
    useVoice.setState({ mode, talking: false });
  }

  /** Push-to-talk pressed (true) or released (false). Pressing while Maya speaks interrupts her. */
  pushToTalk(down: boolean): void {
    if (useVoice.getState().mode !== 'push-to-talk' || useVoice.getState().talking === down) return;
    useVoice.setState({ talking: down });
    if (down && this.player?.currentReply != null) this.bargeIn();
    if (!down) connection.send({ type: 'end_of_speech' });
  }

  /** Stop Maya now and tell the server to cancel the rest of her reply. */
  bargeIn(): void {
    const stopped = this.player?.stop() ?? null;
    this.closeMouth();
    connection.send({ type: 'barge_in' });
    this.reportStopped(stopped);
  }

  /** Tell the server how much of a cut-off reply was heard: its history keeps only that. */
  private reportStopped(stopped: { replyId: number; playedMs: number } | null) {
    if (stopped)
      connection.send({
        type: 'playback',
        replyId: stopped.replyId,
        event: 'stopped',
        playedMs: stopped.playedMs,
      });
  }

  /**
   * An observer of the captured sound, outside the pipeline, for latency measurement: the arrival
   * time of the last loud frame once 300 ms of quiet followed it ("the guest stopped speaking").
   */
  private loudAt = 0;
  private quietFrames = 0;
  private observeLevel(pcm: ArrayBuffer) {
    const samples = new Int16Array(pcm);
    let peak = 0;
    for (const v of samples) peak = Math.max(peak, Math.abs(v));
    if (peak > 500) {
      this.loudAt = performance.now();
      this.quietFrames = 0;
    } else if (this.loudAt && ++this.quietFrames === 15) {
      const e = { kind: 'mic_speech_end' as const, t: this.loudAt };
      (window.__mayaVoiceTrace ??= []).push(e);
      this.loudAt = 0;
    }
  }

  private frame(pcm: ArrayBuffer) {
    this.observeLevel(pcm);
    if (useSpeechActivity.getState().mic !== 'listening') return;
    const { mode, talking } = useVoice.getState();
    if (mode === 'push-to-talk' && !talking) return;
    connection.sendAudio(pcm);
  }

  private ensurePlayer(ctx: AudioContext) {
    if (this.player) return;
    const player = new ReplyPlayer(ctx, {
      onStarted: (replyId) => {
        trace({ kind: 'playback_started', replyId });
        useSpeechActivity.getState().setSpeaking(true);
        connection.send({ type: 'playback', replyId, event: 'started' });
      },
      onSentence: (_replyId, text) => useVoice.setState({ mayaSentence: text }),
      onEnded: (replyId) => {
        trace({ kind: 'playback_ended', replyId });
        this.closeMouth();
        connection.send({ type: 'playback', replyId, event: 'ended' });
      },
    });
    this.player = player;
    setMouthSource(() => {
      if (player.currentReply === null) return { open: 0 };
      // Timings drive the mouth; without them (a voice that gives none), follow the loudness.
      return player.mouthNow() ?? { open: Math.min(1, player.level() * 6) };
    });
    this.unsubscribe.push(
      connection.onMessage((msg) => this.message(msg)),
      connection.onAudio((data) => {
        player.audio(data);
      }),
    );
  }

  private closeMouth() {
    useSpeechActivity.getState().setSpeaking(false);
    useVoice.setState({ mayaSentence: '' });
  }

  private message(msg: ServerMessage) {
    switch (msg.type) {
      case 'speech_started':
        useVoice.setState({ guestPartial: '', notUnderstood: false });
        return;
      case 'transcript_partial':
        useVoice.setState({ guestPartial: msg.text });
        return;
      case 'speech_ended':
        trace({ kind: 'speech_ended' });
        return;
      case 'transcript_final':
        trace({ kind: 'transcript_final', text: msg.text });
        useVoice.setState({ guestPartial: '', notUnderstood: msg.rejected });
        if (!msg.rejected) useMaya.getState().guestSaid(msg.text);
        return;
      case 'reply':
        trace({ kind: 'reply', text: msg.text });
        return;
      case 'reply_audio':
        if (!this.receivedAudioFor.has(msg.replyId)) {
          this.receivedAudioFor.add(msg.replyId);
          trace({ kind: 'first_audio', replyId: msg.replyId });
        }
        this.player?.header(msg);
        return;
      case 'reply_end':
        this.player?.end(msg);
        return;
      case 'interrupted':
        trace({ kind: 'interrupted', replyId: msg.replyId, reason: msg.reason });
        this.reportStopped(this.player?.stop(msg.replyId) ?? null);
        this.closeMouth();
        return;
    }
  }
}

export const voice = new VoiceController();
