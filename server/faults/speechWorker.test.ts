/**
 * A speech worker crashes mid-reply: it is replaced, the guest hears an apology, and the session
 * goes on speaking (real Flite engine, real worker).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FliteTts } from '../speech/embedded/flite.ts';
import { SoundSwallowerStt, SoundSwallowerVad } from '../speech/embedded/soundswallower.ts';
import { SpeechSession } from '../speech/session.ts';
import type { ServerMessage } from '../../shared/protocol.ts';

const tts = new FliteTts();
afterAll(() => tts.close());

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('speech worker crash', () => {
  it('recycles the worker, apologises out loud, and keeps speaking', async () => {
    const sent: ServerMessage[] = [];
    let samples = 0;
    const stt = new SoundSwallowerStt();
    const session = new SpeechSession({
      engines: async () => ({ stt, tts }),
      createVad: () => SoundSwallowerVad.create(),
      runTurn: async () => ({ text: '', emotion: 'neutral' }),
      send: (m) => sent.push(m),
      sendAudio: (pcm) => (samples += pcm.length),
      log: pino({ level: 'silent' }),
    });
    await tts.warmUp();
    // The worker dies while it synthesises the first sentence.
    const synthesizeOnce = tts.synthesizeOnce.bind(tts);
    let crashes = 0;
    tts.synthesizeOnce = async (text: string) => {
      const pending = synthesizeOnce(text);
      // Its failure is the session's to handle once returned; while this wrapper awaits the crash, a
      // rejection with no handler yet would be reported as unhandled.
      pending.catch(() => undefined);
      if (crashes++ === 0) await tts.terminateWorker();
      return pending;
    };
    session.speak('One Negroni, that is eleven dollars.');
    await until(() => sent.some((m) => m.type === 'reply_audio' && /lost my voice/.test(m.text)));
    expect(sent.some((m) => m.type === 'reply' && /lost my voice/.test(m.text))).toBe(true); // captioned too
    expect(samples).toBeGreaterThan(8000); // the apology really was synthesised by a fresh worker

    // The session carries on: the next reply is spoken normally.
    const before = sent.length;
    session.speak('Anything else?');
    await until(() =>
      sent.slice(before).some((m) => m.type === 'reply_audio' && m.text === 'Anything else?'),
    );
    session.close();
  });
});
