/**
 * The speech session with scripted engines: replies are spoken sentence by sentence while the brain
 * is still writing, barge-in drops what the brain writes afterwards, a new key swaps the engines.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ServerMessage } from '../../shared/protocol.ts';
import { SpeechSession } from './session.ts';
import type { SpeechEngines } from './session.ts';
import type { SpeechToText, SttEvents, TextToSpeech, TtsChunk, Vad, VadEvent } from './types.ts';

/** Frame markers for the scripted VAD: 1 starts an utterance, 2 continues it, 3 ends it. */
const START = Int16Array.of(1);
const END = Int16Array.of(3);

const vad: Vad = {
  process(pcm): VadEvent[] {
    if (pcm[0] === 1) return [{ kind: 'speech_start', atSec: 0 }, { kind: 'audio', pcm }];
    if (pcm[0] === 3) return [{ kind: 'speech_end', atSec: 0 }];
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
      return { write: () => {}, finalize: () => events.onFinal(heard.shift() ?? '', { confidence: 1 }), close: () => void streams.closed++ };
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
      yield { pcm: new Int16Array(100), sampleRate: 16_000, words: [{ label: text.split(' ')[0]!, startMs: 0, endMs: 5 }] };
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

function setup(runTurn: (onSentence: (s: string) => void) => Promise<void>, heard = ['two negronis please']) {
  const sent: ServerMessage[] = [];
  const listening = scriptedStt('stt-a', heard);
  const voice = scriptedTts('tts-a');
  let engines: SpeechEngines = { stt: listening.stt, tts: voice.tts };
  const session = new SpeechSession({
    engines: async () => engines,
    createVad: async () => vad,
    runTurn: async (_text, _meta, onSentence) => {
      await runTurn(onSentence);
      return { text: '', emotion: 'neutral' };
    },
    send: (m) => sent.push(m),
    sendAudio: () => {},
    log: pino({ level: 'silent' }),
  });
  const of = <T extends ServerMessage['type']>(type: T) => sent.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  const utter = () => {
    session.pushAudio(START);
    session.pushAudio(END);
  };
  return { session, sent, of, utter, listening, voice, swap: (e: SpeechEngines) => (engines = e) };
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
    expect(of('reply_end')[0]).toEqual({ type: 'reply_end', replyId: of('reply_audio')[0]!.replyId, sentences: 3 });
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
    expect(of('interrupted')).toEqual([{ type: 'interrupted', replyId: of('reply_audio')[0]!.replyId, reason: 'client' }]);
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
    const { of, utter, session, voice, listening, swap } = setup(async (say) => say('Cheers.'), ['hello', 'hello again']);
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
