/**
 * One guest's visit over /ws, the way a real client would: a fresh session, the utterance streamed in
 * 20 ms frames paced by the clock, then (if Maya asks back without charging) the reply listened to in
 * full and the guest's answer streamed in the same voice. Records what the scorer needs.
 */
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { MENU } from '../../shared/menu.ts';
import { parseServerMessage } from '../../shared/protocol.ts';
import type { ServerMessage } from '../../shared/protocol.ts';
import type { Clip } from './voices.ts';
import { RATE } from './voices.ts';
import type { HeardLine } from './score.ts';

type Stamped = { t: number; msg: ServerMessage };

export interface VisitTrace {
  tabCents: number;
  lines: HeardLine[];
  readBack: boolean;
  /** Times the guest answered the read-back (more than one: Maya asked again). */
  answers: number;
  latencyMs?: number;
  /** Where that latency went: speech end → speech_ended (endpointer), → transcript_final (recogniser), → first reply audio (brain + voice). */
  stagesMs?: { endpoint: number; recognise: number; reply: number };
  cutOff?: boolean;
  heard: string[];
  replies: string[];
  timedOut: boolean;
}

class Line {
  readonly events: Stamped[] = [];
  readonly audio: number[] = [];
  private changed: (() => void) | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const t = performance.now();
      if (isBinary) this.audio.push(t);
      else {
        const parsed = parseServerMessage(data.toString());
        if (!parsed.ok)
          throw new Error(`server sent an invalid message: ${data.toString().slice(0, 200)}`);
        this.events.push({ t, msg: parsed.message });
      }
      this.changed?.();
    });
  }
  static async open(url: string): Promise<Line> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Line(ws);
  }
  /** Resolve when `done()` holds, re-checked on every message and every 100 ms; false on timeout. */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    while (!done()) {
      if (performance.now() > end) return false;
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 100);
        this.changed = () => (clearTimeout(timer), r());
      });
    }
    return true;
  }
  of<T extends ServerMessage['type']>(
    type: T,
    since = 0,
  ): (Stamped & { msg: Extract<ServerMessage, { type: T }> })[] {
    return this.events.filter(
      (e): e is Stamped & { msg: Extract<ServerMessage, { type: T }> } =>
        e.msg.type === type && e.t >= since,
    );
  }
  send(msg: Record<string, unknown>) {
    this.ws.send(JSON.stringify(msg));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stream a clip in frames of `frameMs` (20 by default), paced by the clock; returns when each marked sample went out (performance.now()). */
async function stream(line: Line, clip: Clip, speed: number, frameMs: number) {
  const FRAME = (frameMs * RATE) / 1000;
  const marks = { speechEnd: 0, firstStart: 0, secondStart: 0 };
  const started = performance.now();
  for (let at = 0, i = 0; at < clip.pcm.length; at += FRAME, i++) {
    const end = Math.min(at + FRAME, clip.pcm.length);
    if (clip.pause && at <= clip.pause.secondStart && clip.pause.secondStart < end)
      marks.secondStart = performance.now();
    if (at <= clip.speechStart && clip.speechStart < end) marks.firstStart = performance.now();
    line.ws.send(Buffer.from(clip.pcm.slice(at, end).buffer));
    if (at < clip.speechEnd && clip.speechEnd <= end) marks.speechEnd = performance.now();
    await sleep(Math.max(0, started + ((i + 1) * frameMs) / speed - performance.now()));
  }
  return marks;
}

/**
 * A live microphone never stops: between and after utterances it keeps sending the room (the clip's
 * trailing silence, or noise for a noisy voice), looped and paced like the speech. Returns stop().
 */
function roomTone(line: Line, clip: Clip, speed: number, frameMs: number): () => Promise<void> {
  const tail = clip.pcm.slice(clip.speechEnd);
  const frame = (frameMs * RATE) / 1000;
  let on = tail.length >= frame;
  const done = (async () => {
    const started = performance.now();
    for (
      let i = 0, at = 0;
      on && line.ws.readyState === line.ws.OPEN;
      i++, at = (at + frame) % (tail.length - frame + 1)
    ) {
      line.ws.send(Buffer.from(tail.slice(at, at + frame).buffer));
      await sleep(Math.max(0, started + ((i + 1) * frameMs) / speed - performance.now()));
    }
  })();
  return async () => {
    on = false;
    await done;
  };
}

/**
 * The turn has settled: every utterance heard has its final transcript, every understood one its
 * reply, the first reply audio (if a reply is coming) has arrived, and the turn's messages have been
 * quiet for a moment. Reply audio still streaming out (paced like playback) does not hold it up.
 */
const TURN_EVENTS: readonly ServerMessage['type'][] = [
  'speech_started',
  'speech_ended',
  'transcript_partial',
  'transcript_final',
  'reply',
  'state',
];
function settled(line: Line, since: number, quietMs: number, hearBy = 0): boolean {
  const started = line.of('speech_started', since).length;
  if (started === 0 && performance.now() < hearBy) return false; // not heard yet: give a busy server time
  const finals = line.of('transcript_final', since);
  const understood = finals.filter((f) => !f.msg.rejected).length;
  const replies = line.of('reply', since);
  const last = line.events.filter((e) => TURN_EVENTS.includes(e.msg.type)).at(-1)?.t ?? 0;
  const voiced = replies.length === 0 || line.audio.some((t) => t >= replies[0]!.t);
  return (
    finals.length >= started &&
    replies.length >= understood &&
    voiced &&
    performance.now() - last > quietMs
  );
}

/** Seconds of reply audio announced for one reply. */
const replySeconds = (line: Line, replyId: number) =>
  line
    .of('reply_audio')
    .filter((e) => e.msg.replyId === replyId)
    .reduce((s, e) => s + e.msg.samples / e.msg.sampleRate, 0);

/** Wait until Maya has finished speaking, as a listener would: reply sent in full and played out. */
async function listenOut(line: Line, speed: number) {
  const last = line.of('reply_audio').at(-1);
  if (!last) return;
  const id = last.msg.replyId;
  await line.until(() => line.of('reply_end').some((e) => e.msg.replyId === id), 20_000);
  const firstAudio =
    line.of('reply_audio').find((e) => e.msg.replyId === id)?.t ?? performance.now();
  const playedMs = replySeconds(line, id) * 1000;
  await sleep(Math.max(0, firstAudio + playedMs / speed - performance.now()));
  line.send({ type: 'playback', replyId: id, event: 'ended', playedMs: Math.round(playedMs) });
  await sleep(300 / speed); // a guest's reaction time
}

/**
 * With a live microphone, the room is heard at least this long before the guest speaks (a guest
 * steps up, or taps the mic, and then talks): the noise tracker has had time to measure the room.
 */
export const ROOM_BEFORE_SPEECH_MS = 1500;

/** How many times the guest answers a read-back that Maya asks again (she may not catch the first). */
export const MAX_ANSWERS = 3;
const ASKED_AGAIN = /catch|missed|say it again|one more time|come through/i;
const DRINK_NAMES = MENU.map((m) => new RegExp(`\\b${m.name.toLowerCase()}`));
/** Maya asks about drinks (a new read-back after a no: "Sorry — one Whiskey, then?"): the guest answers it too. */
const asksAboutDrinks = (text: string) =>
  text.trim().endsWith('?') && DRINK_NAMES.some((re) => re.test(text.toLowerCase()));

export async function visit(
  wsUrl: string,
  clip: Clip,
  answer: (readBack: string) => Promise<Clip>,
  { speed = 1, frameMs = 20, room = false } = {},
): Promise<VisitTrace> {
  const mic = (c: Clip) => (room ? roomTone(line, c, speed, frameMs) : async () => undefined);
  const line = await Line.open(wsUrl);
  try {
    line.send({ type: 'hello' });
    await line.until(() => line.of('welcome').length > 0, 10_000);
    const welcome = line.of('welcome')[0]?.msg;
    if (!welcome) throw new Error('no welcome');
    const tab0 = welcome.state.payment.tabCents;
    // A live microphone hears the room from the moment it opens, before the guest says a word.
    const opened = performance.now();
    const stopPreRoll = mic(clip);
    // A greeting, if Maya speaks one, is heard out before the guest talks.
    await line.until(() => settled(line, 0, 300), 3000);
    await listenOut(line, speed);
    if (room) await sleep(Math.max(0, opened + ROOM_BEFORE_SPEECH_MS / speed - performance.now()));
    await stopPreRoll();

    const t0 = performance.now();
    const marks = await stream(line, clip, speed, frameMs);
    let stopRoom = mic(clip);
    let timedOut = !(await line.until(
      () => settled(line, t0, 500, performance.now() + 3000),
      20_000,
    ));
    // The first audio of a reply begun after the guest stopped (not the tail of one begun during a pause).
    const earlier = new Set(
      line
        .of('reply_audio')
        .filter((e) => e.t <= marks.speechEnd)
        .map((e) => e.msg.replyId),
    );
    const answerHead = line
      .of('reply_audio', marks.speechEnd)
      .find((e) => !earlier.has(e.msg.replyId));
    const firstAudio = answerHead && line.audio.find((t) => t >= answerHead.t);
    const ended = line.of('speech_ended', marks.speechEnd)[0];
    const final = ended && line.of('transcript_final', ended.t)[0];
    const stagesMs =
      firstAudio !== undefined && final && final.t <= firstAudio
        ? {
            endpoint: ended.t - marks.speechEnd,
            recognise: final.t - ended.t,
            reply: firstAudio - final.t,
          }
        : undefined;
    const cutOff = clip.pause
      ? line.of('transcript_final', marks.firstStart).some((e) => e.t < marks.secondStart)
      : undefined;

    const state = () => line.of('state').at(-1)?.msg.state ?? welcome.state;
    const lastFinal = line
      .of('transcript_final', t0)
      .filter((e) => !e.msg.rejected)
      .at(-1);
    const question = lastFinal && line.of('reply', lastFinal.t).at(-1);
    const readBack =
      !!question && question.msg.text.trim().endsWith('?') && state().payment.tabCents === tab0;
    // The guest answers the read-back, and answers again while Maya asks again (she did not catch
    // it: "One more time?", "…yes or no?"), as a guest at the bar would, up to MAX_ANSWERS times.
    let answers = 0;
    let asked = readBack;
    let readBackText = question?.msg.text ?? '';
    while (asked && answers < MAX_ANSWERS) {
      answers++;
      await listenOut(line, speed);
      const reply = await answer(readBackText);
      await stopRoom();
      const t1 = performance.now();
      await stream(line, reply, speed, frameMs);
      stopRoom = mic(reply);
      timedOut =
        !(await line.until(() => settled(line, t1, 500, performance.now() + 3000), 20_000)) ||
        timedOut;
      // Asked to say it again ("Sorry, I didn't catch that…", "One more time?"), or asked about
      // other drinks ("Sorry — one Whiskey, then?"): that new question is the one answered next.
      const again = line.of('reply', t1).at(-1)?.msg.text ?? '';
      const unchanged = state().payment.tabCents === tab0;
      asked = unchanged && (ASKED_AGAIN.test(again) || asksAboutDrinks(again));
      if (asked && !ASKED_AGAIN.test(again)) readBackText = again;
    }
    await stopRoom();
    const end = state();
    return {
      tabCents: end.payment.tabCents - tab0,
      lines: end.order.map((l) => ({ item: l.item, quantity: l.quantity, modifiers: l.modifiers })),
      readBack,
      answers,
      ...(firstAudio !== undefined && { latencyMs: firstAudio - marks.speechEnd }),
      ...(stagesMs && { stagesMs }),
      ...(cutOff !== undefined && { cutOff }),
      heard: line
        .of('transcript_final')
        .map((e) => (e.msg.rejected ? `(rejected) ${e.msg.text}` : e.msg.text)),
      replies: line.of('reply').map((e) => e.msg.text),
      timedOut,
    };
  } finally {
    line.ws.close();
  }
}
