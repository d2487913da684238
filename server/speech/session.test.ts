/**
 * The speech session with scripted engines: replies are spoken sentence by sentence while the brain
 * is still writing, barge-in drops what the brain writes afterwards, a new key swaps the engines.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ServerMessage } from '../../shared/protocol.ts';
import { SpeechSession } from './session.ts';
import type { SpeechEngines, SpeechSessionOptions, TurnMeta } from './session.ts';
import { SpeechEngineClosedError } from './types.ts';
import type { SpeechToText, SttEvents, TextToSpeech, TtsChunk, Vad, VadEvent } from './types.ts';

/**
 * Frame markers for the scripted VAD: 1 starts an utterance, 2 continues it, 3 ends it, 4 is a short
 * pause inside it (the endpointer has not ended it), 5 is voice again after that pause.
 */
const START = Int16Array.of(1);
const MORE = Int16Array.of(2);
const END = Int16Array.of(3);
const PAUSE = Int16Array.of(4);
const RESUME = Int16Array.of(5);

const vad: Vad = {
  async process(pcm): Promise<VadEvent[]> {
    if (pcm[0] === 1)
      return [
        { kind: 'speech_start', atSec: 0 },
        { kind: 'audio', pcm },
      ];
    if (pcm[0] === 3) return [{ kind: 'speech_end', atSec: 0 }];
    if (pcm[0] === 4) return [{ kind: 'pause' }];
    if (pcm[0] === 5) return [{ kind: 'resume' }, { kind: 'audio', pcm }];
    if (pcm[0] === 6)
      return [
        { kind: 'speech_start', atSec: 0, noisy: true },
        { kind: 'audio', pcm },
      ];
    return [{ kind: 'audio', pcm }];
  },
};

/** A recogniser that "hears" the next scripted transcript when the utterance is finalised. */
function scriptedStt(name: string, heard: string[]) {
  const streams = { started: 0, closed: 0 };
  const stt: SpeechToText = {
    name,
    async start(events: SttEvents) {
      streams.started++;
      return {
        write: () => {},
        finalize: () => events.onFinal(heard.shift() ?? '', { confidence: 1 }),
        close: () => void streams.closed++,
      };
    },
  };
  return { stt, streams };
}

/** A voice that answers every sentence with one short chunk (100 samples) and remembers what it said. */
function scriptedTts(name: string) {
  const said: string[] = [];
  const tts: TextToSpeech = {
    name,
    async *synthesize(text: string): AsyncIterable<TtsChunk> {
      said.push(text);
      yield {
        pcm: new Int16Array(100),
        sampleRate: 16_000,
        words: [{ label: text.split(' ')[0]!, startMs: 0, endMs: 5 }],
      };
    },
    async close() {},
  };
  return { tts, said };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

function setup(
  runTurn: (onSentence: (s: string) => void) => Promise<void>,
  heard = ['two negronis please'],
) {
  const sent: ServerMessage[] = [];
  const metas: TurnMeta[] = [];
  const listening = scriptedStt('stt-a', heard);
  const voice = scriptedTts('tts-a');
  let engines: SpeechEngines = { stt: listening.stt, tts: voice.tts };
  const session = new SpeechSession({
    engines: async () => engines,
    createVad: async () => vad,
    runTurn: async (_text, meta, onSentence) => {
      metas.push(meta);
      await runTurn(onSentence);
      return { text: '', emotion: 'neutral' };
    },
    send: (m) => sent.push(m),
    sendAudio: () => {},
    log: pino({ level: 'silent' }),
  });
  const of = <T extends ServerMessage['type']>(type: T) =>
    sent.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  const utter = () => {
    session.pushAudio(START);
    session.pushAudio(END);
  };
  return {
    session,
    sent,
    of,
    utter,
    metas,
    listening,
    voice,
    swap: (e: SpeechEngines) => (engines = e),
  };
}

describe('SpeechSession streaming replies', () => {
  it('speaks the first sentence while the brain is still writing the next, then ends the reply', async () => {
    const gate = deferred();
    const { of, utter, session, voice } = setup(async (say) => {
      say("Two Negronis, that's $22.00.");
      await gate.promise; // the model is still writing
      say('Anything else?');
    });
    utter();
    await until(() => of('reply_audio').length > 0, 'first audio');
    expect(of('reply_audio')[0]).toMatchObject({ sentence: 0, text: 'Two Negronis,' });
    await until(() => voice.said.length === 2, 'the rest of the first sentence');
    expect(of('reply_end')).toEqual([]); // not over: more may come
    gate.resolve();
    await until(() => of('reply_end').length === 1, 'reply_end');
    expect(voice.said).toEqual(['Two Negronis,', "that's twenty two dollars.", 'Anything else?']);
    expect(of('reply_audio').map((m) => m.sentence)).toEqual([0, 1, 2]);
    expect(of('reply_end')[0]).toEqual({
      type: 'reply_end',
      replyId: of('reply_audio')[0]!.replyId,
      sentences: 3,
    });
    session.close();
  });

  it('after barge-in, what the brain writes next is never spoken and the reply never ends normally', async () => {
    const gate = deferred();
    const { of, utter, session, voice } = setup(async (say) => {
      say('Coming right up.');
      await gate.promise;
      say('Anything else?');
    });
    utter();
    await until(() => of('reply_audio').length === 1, 'first audio');
    session.control({ type: 'barge_in' });
    expect(of('interrupted')).toEqual([
      { type: 'interrupted', replyId: of('reply_audio')[0]!.replyId, reason: 'client' },
    ]);
    gate.resolve();
    await new Promise((r) => setTimeout(r, 50));
    expect(voice.said).toEqual(['Coming right up.']);
    expect(of('reply_end')).toEqual([]);
    session.close();
  });

  it('a reply that fails to start ends cleanly: a turn that throws still closes its reply', async () => {
    const { of, utter, session } = setup(async (say) => {
      say('One moment.');
      throw new Error('brain failed');
    });
    utter();
    await until(() => of('reply_end').length === 1, 'reply_end');
    expect(of('reply_end')[0]!.sentences).toBe(1);
    session.close();
  });

  it('an announcement during a reply is spoken after it, in the same reply', async () => {
    const gate = deferred();
    const { of, utter, session, voice } = setup(async (say) => {
      say('Coming right up.');
      await gate.promise;
    });
    utter();
    await until(() => of('reply_audio').length === 1, 'first audio');
    session.announce('Bear with my backup voice.');
    gate.resolve();
    await until(() => of('reply_end').length === 1, 'reply_end');
    expect(voice.said).toEqual(['Coming right up.', 'Bear with my backup voice.']);
    expect(of('reply').map((m) => m.text)).toEqual(['Bear with my backup voice.']);
    session.close();
  });

  it('refreshEngines: the next reply uses the new voice, the next utterance the new recogniser', async () => {
    const { of, utter, session, voice, listening, swap } = setup(
      async (say) => say('Cheers.'),
      ['hello', 'hello again'],
    );
    utter();
    await until(() => of('reply_end').length === 1, 'first reply');
    const cloud = scriptedTts('tts-b');
    const cloudEars = scriptedStt('stt-b', ['a beer please']);
    swap({ stt: cloudEars.stt, tts: cloud.tts });
    session.refreshEngines();
    utter();
    await until(() => of('reply_end').length === 2, 'second reply');
    expect(voice.said).toEqual(['Cheers.']);
    expect(cloud.said).toEqual(['Cheers.']);
    expect(listening.streams).toEqual({ started: 1, closed: 1 });
    expect(cloudEars.streams.started).toBe(1);
    expect(of('transcript_final').map((m) => m.text)).toEqual(['hello', 'a beer please']);
    session.close();
  });
});

/** A recogniser whose running hypothesis grows by one scripted step per audio frame. */
function growingStt(steps: string[], onError?: (fail: (e: Error) => void) => void) {
  const stt: SpeechToText = {
    name: 'growing',
    async start(events: SttEvents) {
      let i = 0;
      onError?.((e) => events.onError(e));
      return {
        write: () => events.onPartial(steps[Math.min(i++, steps.length - 1)]!),
        finalize: () =>
          events.onFinal(steps[Math.min(i - 1, steps.length - 1)] ?? '', { confidence: 1 }),
        close: () => {},
      };
    },
  };
  return stt;
}

function voiceSession(
  stt: SpeechToText,
  reply = 'One Margarita, coming up. Anything else for you tonight?',
  holdMs = 80,
  options: Partial<SpeechSessionOptions> = {},
) {
  const sent: ServerMessage[] = [];
  const turns: string[] = [];
  const heard: { said: string; heard: string }[] = [];
  const session = new SpeechSession(
    {
      engines: async () => ({ stt, tts: scriptedTts('tts').tts }),
      createVad: async () => vad,
      runTurn: async (text, _meta, onSentence) => {
        turns.push(text);
        onSentence(reply);
        return { text: reply, emotion: 'neutral' };
      },
      send: (m) => sent.push(m),
      sendAudio: () => {},
      replyHeard: (said, h) => heard.push({ said, heard: h }),
      log: pino({ level: 'silent' }),
    },
    { unfinishedHoldMs: holdMs, playbackReportWaitMs: 200, ...options },
  );
  const of = <T extends ServerMessage['type']>(type: T) =>
    sent.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  return { session, sent, of, turns, heard };
}

const MID = Int16Array.of(2);

describe('SpeechSession turn-taking', () => {
  it('waits after a pause in an unfinished request and takes the rest as the same turn', async () => {
    const { session, of, turns } = voiceSession(
      growingStt(["i'd like a", "i'd like a margarita"]),
      'Done.',
      300,
    );
    session.pushAudio(START);
    session.pushAudio(END); // pause after "i'd like a"
    await new Promise((r) => setTimeout(r, 100));
    expect(of('transcript_final')).toEqual([]); // not cut off
    session.pushAudio(START); // the guest goes on
    session.pushAudio(MID);
    session.pushAudio(END);
    await until(() => turns.length === 1, 'the turn');
    expect(turns).toEqual(["i'd like a margarita"]);
    expect(of('speech_started')).toHaveLength(1);
    session.close();
  });

  it('ends a complete request at the pause, and an unfinished one after the longer wait', async () => {
    const complete = voiceSession(growingStt(['two beers please']));
    complete.session.pushAudio(START);
    complete.session.pushAudio(END);
    await until(() => complete.turns.length === 1, 'the complete turn');
    const unfinished = voiceSession(growingStt(['can i get']), 'What can I get you?', 80);
    const t0 = performance.now();
    unfinished.session.pushAudio(START);
    unfinished.session.pushAudio(END);
    await until(() => unfinished.of('transcript_final').length === 1, 'the held turn');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
    complete.session.close();
    unfinished.session.close();
  });

  it('keeps in the history only what had played when the guest cut Maya off', async () => {
    const { session, of, heard } = voiceSession(growingStt(['a margarita please']));
    session.pushAudio(START);
    session.pushAudio(END);
    await until(() => of('reply_audio').length > 0, 'reply audio');
    const replyId = of('reply_audio')[0]!.replyId;
    session.control({ type: 'barge_in' });
    // The scripted voice gives 100 samples (6.25 ms) per sentence: the client played the first one.
    session.control({ type: 'playback', replyId, event: 'stopped', playedMs: 7 });
    await until(() => heard.length === 1, 'history trimmed');
    expect(heard[0]!.said).toBe('One Margarita, coming up. Anything else for you tonight?');
    expect(heard[0]!.heard.startsWith('One Margarita,')).toBe(true);
    expect(heard[0]!.heard).not.toContain('Anything else');
    session.close();
  });

  it('drops a reply’s own events by type once it is interrupted, while the guest’s events still go out', async () => {
    const gate = deferred();
    const sent: ServerMessage[] = [];
    const session = new SpeechSession({
      engines: async () => ({ stt: growingStt(['hello there']), tts: scriptedTts('t').tts }),
      createVad: async () => vad,
      runTurn: async (_t, _m, say) => {
        say('Hi.');
        await gate.promise;
        say('What can I get you?');
        return { text: 'Hi. What can I get you?', emotion: 'neutral' };
      },
      send: (m) => sent.push(m),
      sendAudio: () => {},
      log: pino({ level: 'silent' }),
    });
    session.pushAudio(START);
    session.pushAudio(END);
    await until(() => sent.some((m) => m.type === 'reply_audio'), 'first audio');
    session.control({ type: 'barge_in' });
    const cut = sent.length;
    gate.resolve();
    session.pushAudio(START);
    await until(() => sent.slice(cut).some((m) => m.type === 'speech_started'), 'the guest heard');
    await new Promise((r) => setTimeout(r, 30));
    expect(
      sent
        .slice(cut)
        .map((m) => m.type)
        .filter((t) => t === 'reply_audio' || t === 'reply_end'),
    ).toEqual([]);
    session.close();
  });

  it('apologises out loud when the recogniser fails mid-utterance, and listens again', async () => {
    let fail!: (e: Error) => void;
    const { session, of } = voiceSession(growingStt(['a margarita'], (f) => (fail = f)));
    session.pushAudio(START);
    await until(() => of('transcript_partial').length === 1, 'listening');
    fail(new Error('engine crashed'));
    await until(() => of('reply').length === 1, 'apology');
    expect(of('reply')[0]!.text).toMatch(/didn't quite hear/);
    expect(of('transcript_final')[0]).toMatchObject({ rejected: true });
    session.close();
  });
});

describe('SpeechSession when its voice stops mid-reply', () => {
  /** A session whose voice speaks the first sentence and then fails with `failure`; logs kept. */
  function withVoiceThatStops(failure: Error) {
    const sent: ServerMessage[] = [];
    const logs: { level: number; msg: string }[] = [];
    let sentences = 0;
    const tts: TextToSpeech = {
      name: 'stopping',
      async *synthesize(): AsyncIterable<TtsChunk> {
        if (++sentences > 1) throw failure;
        yield { pcm: new Int16Array(100), sampleRate: 16_000 };
      },
      async close() {},
    };
    const session = new SpeechSession({
      engines: async () => ({ stt: scriptedStt('stt', ['two negronis please']).stt, tts }),
      createVad: async () => vad,
      runTurn: async (_text, _meta, onSentence) => {
        onSentence("Two Negronis, that's $22.00.");
        onSentence('Enjoy them.');
        return { text: '', emotion: 'neutral' };
      },
      send: (m) => sent.push(m),
      sendAudio: () => {},
      log: pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) }),
    });
    session.pushAudio(START);
    session.pushAudio(END);
    const replies = () => sent.filter((m) => m.type === 'reply').map((m) => m.text);
    const errors = () => logs.filter((l) => l.level >= 50).map((l) => l.msg);
    return { session, sent, replies, errors, spoken: () => sentences };
  }

  it('apologises and logs an error when the engine fails', async () => {
    const { session, replies, errors } = withVoiceThatStops(new Error('flite worker exited (1)'));
    await until(() => replies().some((r) => /lost my voice/i.test(r)), 'the apology');
    expect(errors()).toContain('speech synthesis failed');
    session.close();
  });

  it('says nothing more and logs no error when the engine was closed on purpose (shutdown)', async () => {
    const closed = new SpeechEngineClosedError('flite TTS closed before the sentence was spoken');
    const { session, sent, replies, errors, spoken } = withVoiceThatStops(closed);
    await until(() => spoken() >= 2, 'the second sentence asked for');
    await new Promise((r) => setTimeout(r, 50));
    expect(replies().filter((r) => /lost my voice/i.test(r))).toEqual([]);
    expect(errors()).toEqual([]);
    expect(sent.filter((m) => m.type === 'reply_audio').length).toBeGreaterThan(0);
    session.close();
  });
});

describe('SpeechSession spoken lines', () => {
  it('draws a fresh phrasebook variant each time it apologises, never the same twice in a row', async () => {
    let fail!: (e: Error) => void;
    const { session, of } = voiceSession(growingStt(['a margarita'], (f) => (fail = f)));
    for (let n = 1; n <= 4; n++) {
      session.pushAudio(START);
      await until(() => of('transcript_partial').length === n, 'listening');
      fail(new Error('engine crashed'));
      await until(() => of('reply').length === n, 'apology');
      await until(() => of('reply_end').length === n, 'apology spoken');
    }
    const said = of('reply').map((m) => m.text);
    for (let i = 1; i < said.length; i++) expect(said[i]).not.toBe(said[i - 1]);
    session.close();
  });
});

describe('SpeechSession in a loud room', () => {
  it('trusts what it hears in a loud room less (orders are read back), and fully again when the room is quiet', async () => {
    const { session, metas } = setup(async () => {}, ['two negronis please', 'a mojito']);
    session.pushAudio(Int16Array.of(6)); // speech starts; the front end says the room is loud
    session.pushAudio(END);
    await until(() => metas.length === 1, 'first turn');
    expect(metas[0]!.confidence).toBe(0.7);
    session.pushAudio(START);
    session.pushAudio(END);
    await until(() => metas.length === 2, 'second turn');
    expect(metas[1]!.confidence).toBe(1);
    session.close();
  });
});

describe('SpeechSession waiting for a yes or a no', () => {
  it('asks for the answer again when a short utterance is not understood while a yes/no question is open, and lets it pass otherwise', async () => {
    const turns: string[] = [];
    const { session, of, utter } = setup(async () => void turns.push('turn'), ['', '', 'yes']);
    // No question open: a short rejected utterance is a cough — nothing is said.
    utter();
    await until(() => of('transcript_final').length === 1, 'first final');
    await new Promise((r) => setTimeout(r, 30));
    expect(of('reply')).toEqual([]);
    // "Just to check — two IPAs?" is open: the same is most likely the answer, asked for again.
    session.expectAnswer(true);
    utter();
    await until(() => of('reply').length === 1, 'the question asked again');
    expect(of('reply')[0]!.text).toMatch(/answer.*pour it\?$/);
    await until(() => of('reply_end').length === 1, 'spoken');
    await new Promise((r) => setTimeout(r, 400)); // played out, then the guest answers
    utter();
    await until(() => turns.length === 1, 'the answer understood, as a turn');
    session.close();
  });
});

describe('SpeechSession telling the recogniser what to listen for', () => {
  it('has the recogniser expect an answer while a yes/no question is open, from the stream it starts and on the one it has', async () => {
    const expected: string[] = [];
    const heard = ['two ipas', 'yes'];
    const stt: SpeechToText = {
      name: 'stt-listening',
      async start(events: SttEvents) {
        return {
          write: () => {},
          finalize: () => events.onFinal(heard.shift() ?? '', { confidence: 1 }),
          expect: (context) => void expected.push(context),
          close: () => {},
        };
      },
    };
    const { session } = voiceSession(stt);
    // Asked before the guest has spoken: the stream started for the first utterance is told at once.
    session.expectAnswer(true);
    session.pushAudio(START);
    await until(() => expected.length === 1, 'the new stream told');
    expect(expected).toEqual(['answer']);
    session.pushAudio(END);
    session.expectAnswer(false);
    await until(() => expected.length === 2, 'the stream told again');
    expect(expected).toEqual(['answer', 'open']);
    session.close();
  });
});

describe('SpeechSession with no ears at all', () => {
  it('tells the guest once that it cannot hear (and to type), not once per frame, and listens again when an engine starts', async () => {
    const sent: ServerMessage[] = [];
    let working = false;
    let now = 0;
    const session = new SpeechSession({
      engines: async () => ({
        stt: scriptedStt('stt', ['a mojito']).stt,
        tts: scriptedTts('tts').tts,
      }),
      createVad: async () => {
        if (!working) throw new Error('no speech worker is running');
        return vad;
      },
      runTurn: async () => ({ text: '', emotion: 'neutral' }),
      send: (m) => sent.push(m),
      sendAudio: () => {},
      log: pino({ level: 'silent' }),
      now: () => now,
    });
    const replies = () =>
      sent.filter((m): m is Extract<ServerMessage, { type: 'reply' }> => m.type === 'reply');
    for (let i = 0; i < 50; i++) session.pushAudio(START);
    await until(() => replies().length === 1, 'the notice');
    await new Promise((r) => setTimeout(r, 30));
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.text).toMatch(/type/);
    // Still deaf half a minute later: told again, once.
    now += 30_000;
    for (let i = 0; i < 20; i++) session.pushAudio(START);
    await until(() => replies().length === 2, 'the second notice');
    await new Promise((r) => setTimeout(r, 30));
    expect(replies()).toHaveLength(2);
    // An engine starts: the guest is heard again.
    working = true;
    session.pushAudio(START);
    session.pushAudio(END);
    await until(() => sent.some((m) => m.type === 'transcript_final'), 'a transcript');
    session.close();
  });
});

describe('SpeechSession ending a complete request at a short pause', () => {
  const settle = () => new Promise((r) => setTimeout(r, 30));

  it("ends it at the pause, and the endpointer's later end of the same speech starts nothing", async () => {
    const { session, of, turns } = voiceSession(
      growingStt(['two', 'two beers', 'two beers please']),
    );
    for (const f of [START, MORE, MORE, PAUSE]) session.pushAudio(f);
    await until(() => of('transcript_final').length === 1, 'the final at the pause');
    expect(of('speech_ended')).toHaveLength(1);
    expect(turns).toEqual(['two beers please']);
    // The silence until the endpointer ends the speech is not a new utterance.
    for (const f of [MORE, MORE, END]) session.pushAudio(f);
    await settle();
    expect(of('speech_started')).toHaveLength(1);
    expect(of('transcript_final')).toHaveLength(1);
    session.close();
  });

  it('does not end an unfinished request at the pause: it waits for the endpointer (and the hold)', async () => {
    const { session, of } = voiceSession(growingStt(['i would like', 'i would like a']));
    for (const f of [START, MORE, PAUSE]) session.pushAudio(f);
    await settle();
    expect(of('speech_ended')).toHaveLength(0);
    session.pushAudio(END);
    await until(() => of('speech_ended').length === 1, 'the end after the hold');
    session.close();
  });

  it("decides on the recogniser's hypothesis over all the audio, not on a caption that lags behind it", async () => {
    // Captions say "two beers" (complete); the audio so far says "two beers and" (unfinished).
    const asked: string[] = [];
    const lagging = (hypothesis: string): SpeechToText => ({
      name: 'lagging',
      async start(events: SttEvents) {
        return {
          write: () => events.onPartial('two beers'),
          finalize: () => events.onFinal(hypothesis, { confidence: 1 }),
          hypothesis: async () => {
            asked.push(hypothesis);
            return hypothesis;
          },
          close: () => {},
        };
      },
    });
    const unfinished = voiceSession(lagging('two beers and'));
    for (const f of [START, MORE, PAUSE]) unfinished.session.pushAudio(f);
    await until(() => asked.length === 1, 'the hypothesis asked for');
    await settle();
    expect(unfinished.of('speech_ended')).toHaveLength(0);
    unfinished.session.close();
    // Complete: the turn ends as soon as the answer comes, before the fallback's settle time.
    const complete = voiceSession(lagging('two beers please'), undefined, 80, {
      pauseSettleMs: 5_000,
    });
    for (const f of [START, MORE, PAUSE]) complete.session.pushAudio(f);
    await until(() => complete.turns.length === 1, 'the turn ended at the pause');
    expect(complete.turns).toEqual(['two beers please']);
    complete.session.close();
  });

  it('ends at a short pause only if the final, as if the utterance ended there, is complete too', async () => {
    // "an iced" reads as complete, but 200 ms without a voice is also the "st t" inside "iced tea".
    const judged = (final: { text: string; rejected: boolean }): SpeechToText => ({
      name: 'judged',
      async start(events: SttEvents) {
        return {
          write: () => events.onPartial('an iced'),
          finalize: () => events.onFinal(final.text, { confidence: 1, rejected: final.rejected }),
          hypothesis: async () => 'an iced',
          finalIfEnded: async () => final,
          close: () => {},
        };
      },
    });
    const midWord = voiceSession(judged({ text: 'an iced', rejected: true }));
    for (const f of [START, MORE, PAUSE]) midWord.session.pushAudio(f);
    await settle();
    expect(midWord.of('speech_ended')).toHaveLength(0);
    midWord.session.close();
    const whole = voiceSession(judged({ text: 'an iced tea', rejected: false }));
    for (const f of [START, MORE, PAUSE]) whole.session.pushAudio(f);
    await until(() => whole.turns.length === 1, 'the turn ended at the pause');
    expect(whole.turns).toEqual(['an iced tea']);
    whole.session.close();
  });

  it("at the endpointer's end too, a request the hypothesis completes is not held for a caption a word behind", async () => {
    const captionBehind = (caption: string, hypothesis: string): SpeechToText => ({
      name: 'caption behind',
      async start(events: SttEvents) {
        return {
          write: () => events.onPartial(caption),
          finalize: () => events.onFinal(hypothesis, { confidence: 1 }),
          hypothesis: async () => hypothesis,
          close: () => {},
        };
      },
    });
    // A long hold: ending within it means the turn was not held.
    const complete = voiceSession(
      captionBehind('a couple of', 'a couple of ipas please'),
      undefined,
      5_000,
      { endAtShortPause: false },
    );
    for (const f of [START, MORE, END]) complete.session.pushAudio(f);
    await until(() => complete.turns.length === 1, 'the turn ended at once');
    expect(complete.turns).toEqual(['a couple of ipas please']);
    complete.session.close();
    // The other way round: the caption looks complete, the audio so far is not.
    const unfinished = voiceSession(captionBehind('two beers', 'two beers and'), undefined, 5_000, {
      endAtShortPause: false,
    });
    for (const f of [START, MORE, END]) unfinished.session.pushAudio(f);
    await settle();
    expect(unfinished.of('speech_ended')).toHaveLength(0);
    unfinished.session.close();
  });

  it('does not hold an unfinished-sounding hypothesis that the recogniser would reject, or complete, if it ended there', async () => {
    const peeking = (final: { text: string; rejected: boolean }): SpeechToText => ({
      name: 'peeking',
      async start(events: SttEvents) {
        return {
          write: () => events.onPartial('do you have an'),
          finalize: () => events.onFinal(final.text, { confidence: 1, rejected: final.rejected }),
          hypothesis: async () => 'do you have an',
          finalIfEnded: async () => final,
          close: () => {},
        };
      },
    });
    // A long hold: ending within it means the turn was not held.
    const ends = (final: { text: string; rejected: boolean }) =>
      voiceSession(peeking(final), undefined, 5_000, { endAtShortPause: false });
    for (const final of [
      { text: 'do you have an', rejected: true },
      { text: 'do you have any ipa', rejected: false },
    ]) {
      const { session, of } = ends(final);
      for (const f of [START, MORE, END]) session.pushAudio(f);
      await until(() => of('speech_ended').length === 1, `the turn ended at once (${final.text})`);
      session.close();
    }
    // The recogniser's final would be unfinished too: the guest may be thinking, so Maya waits.
    const held = ends({ text: 'do you have an', rejected: false });
    for (const f of [START, MORE, END]) held.session.pushAudio(f);
    await settle();
    expect(held.of('speech_ended')).toHaveLength(0);
    held.session.close();
  });

  it('a guest who goes on after the pause is heard as a new utterance, with the audio since the pause', async () => {
    const writes: number[] = [];
    const stt: SpeechToText = {
      name: 'counting',
      async start(events: SttEvents) {
        let n = 0;
        return {
          write: (pcm: Int16Array) => {
            writes.push(pcm[0]!);
            events.onPartial(++n < 3 ? 'a mojito' : 'a mojito on the rocks');
          },
          finalize: () =>
            events.onFinal(n < 3 ? 'a mojito' : 'a mojito on the rocks', { confidence: 1 }),
          close: () => {},
        };
      },
    };
    const { session, of, turns } = voiceSession(stt);
    for (const f of [START, MORE, PAUSE]) session.pushAudio(f);
    await until(() => turns.length === 1, 'the first turn');
    for (const f of [MORE, MORE, RESUME, MORE, END]) session.pushAudio(f);
    await until(() => of('transcript_final').length === 2, 'the second final');
    expect(of('speech_started')).toHaveLength(2);
    // The frames kept since the pause went to the recogniser before the resumed speech.
    expect(writes).toEqual([1, 2, 2, 2, 5, 2]);
    session.close();
  });
});
