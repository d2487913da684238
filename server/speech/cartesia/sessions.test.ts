import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCartesiaStub } from '../../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../../testing/stubs/cartesia.ts';
import type { SpeechToText, TextToSpeech } from '../types.ts';
import { CloudSpeechSessions } from './sessions.ts';

let stub: CartesiaStub;
beforeAll(async () => {
  stub = await startCartesiaStub({ validKeys: ['key-a', 'key-b'] });
});
afterAll(() => stub.close());

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('CloudSpeechSessions', () => {
  it('pre-warms one Cartesia socket per keyed session, reuses it, rebuilds on a new key, embedded without a key, closes on release', async () => {
    const keys = new Map<string, string>([['s1', 'key-a']]);
    const embeddedTts: TextToSpeech = {
      name: 'embedded',
      async *synthesize() {},
      async close() {},
    };
    const embeddedStt: SpeechToText = {
      name: 'embedded',
      start: () => Promise.reject(new Error('unused')),
    };
    const sessions = new CloudSpeechSessions({
      keyFor: async (id) => keys.get(id) ?? null,
      config: { CARTESIA_BASE_URL: stub.baseUrl, CARTESIA_VOICE_ID: 'voice-1' },
      ca: stub.ca,
      embedded: () => ({ tts: embeddedTts, stt: embeddedStt }),
      onFallback: () => {},
    });
    const first = await sessions.speechFor('s1');
    expect(first.cloud).toBe(true);
    expect(first.tts.name).toBe('cartesia');
    await until(() => stub.openTtsSockets() === 1); // open before any sentence is spoken
    expect(await sessions.speechFor('s1')).toBe(first);
    expect(stub.openTtsSockets()).toBe(1);

    const none = await sessions.speechFor('s2');
    expect(none).toMatchObject({ cloud: false, tts: embeddedTts, stt: embeddedStt });

    keys.set('s1', 'key-b');
    const second = await sessions.speechFor('s1');
    expect(second).not.toBe(first);
    await until(() => stub.openTtsSockets() === 1);

    await sessions.release('s1');
    await until(() => stub.openTtsSockets() === 0);
    await sessions.closeAll();
    expect(sessions.size).toBe(0);
  });

  it('never closes the shared embedded engines, and concurrent lookups open one socket', async () => {
    let embeddedClosed = 0;
    const embeddedTts: TextToSpeech = {
      name: 'embedded',
      async *synthesize() {},
      close: async () => void embeddedClosed++,
    };
    const embeddedStt: SpeechToText = {
      name: 'embedded',
      start: () => Promise.reject(new Error('unused')),
    };
    const keys = new Map<string, string>();
    const sessions = new CloudSpeechSessions({
      keyFor: async (id) => keys.get(id) ?? null,
      config: { CARTESIA_BASE_URL: stub.baseUrl, CARTESIA_VOICE_ID: 'voice-1' },
      ca: stub.ca,
      embedded: () => ({ tts: embeddedTts, stt: embeddedStt }),
      onFallback: () => {},
    });
    await sessions.speechFor('plain');
    keys.set('plain', 'key-a'); // a key arrives: the embedded speech is replaced, not closed
    const [a, b] = await Promise.all([sessions.speechFor('plain'), sessions.speechFor('plain')]);
    expect(a).toBe(b);
    await until(() => stub.openTtsSockets() === 1);
    keys.delete('plain'); // the key is removed: back to embedded
    await sessions.speechFor('plain');
    await until(() => stub.openTtsSockets() === 0);
    await sessions.release('plain');
    await sessions.closeAll();
    expect(embeddedClosed).toBe(0);
  });
});
