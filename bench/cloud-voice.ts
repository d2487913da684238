/**
 * Time to first audio on the cloud path: `npm run bench:cloud-voice`. One Maya server with a guest's
 * Gemini and Cartesia keys, both services replaced by local stubs speaking their real wire protocols
 * (Cartesia over TLS), driven through the real SDKs. Each turn is spoken (a Flite clip through the
 * real VAD into Cartesia STT); the Gemini stub calls `add_to_order`, then writes a four-sentence
 * reply in chunks `BENCH_MODEL_CHUNK_MS` apart. Per turn, from the end of the guest's speech:
 *  - final transcript, first reply audio on the websocket, and the whole reply text (the model
 *    finished): before sentences were streamed, synthesis could only start at that point.
 * Env: BENCH_TURNS (20), BENCH_MODEL_CHUNK_MS (150), BENCH_TTS_FIRST_CHUNK_MS (40, Cartesia's model latency).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { startApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { TestClient } from '../server/testing/wsClient.ts';
import { speakClips, streamPcm } from '../server/testing/speech.ts';
import { startCartesiaStub } from '../server/testing/stubs/cartesia.ts';
import { startGeminiStub } from '../server/testing/stubs/gemini.ts';
import { EXPRESS_TOOL } from '../server/llm/gemini.ts';

const TURNS = Number(process.env.BENCH_TURNS ?? 20);
const CHUNK_MS = Number(process.env.BENCH_MODEL_CHUNK_MS ?? 150);
const TTS_FIRST_CHUNK_MS = Number(process.env.BENCH_TTS_FIRST_CHUNK_MS ?? 40);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms`;

const cartesia = await startCartesiaStub({
  validKeys: ['bench-cartesia'],
  firstChunkDelayMs: TTS_FIRST_CHUNK_MS,
});
const gemini = await startGeminiStub({ validKeys: ['bench-gemini'] });
const dir = mkdtempSync(join(tmpdir(), 'maya-bench-'));
writeFileSync(join(dir, 'ca.pem'), cartesia.ca);
const app = await startApp(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CARTESIA_BASE_URL: cartesia.baseUrl,
    CARTESIA_CA_FILE: join(dir, 'ca.pem'),
    GEMINI_BASE_URL: gemini.baseUrl,
    MAYA_MASTER_KEY: randomBytes(32).toString('base64'),
    MAYA_RATE_SESSION_PER_SECOND: '0',
  }),
  { log: pino({ level: 'warn' }), serveClient: false },
);
const [clip] = await speakClips(['two negronis please']);

const client = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
const arrivals: { type: string; at: number; replyId?: number }[] = [];
client.ws.on('message', (data, isBinary) => {
  if (isBinary) return;
  const m = JSON.parse(String(data)) as { type: string; replyId?: number };
  arrivals.push({
    type: m.type,
    at: performance.now(),
    ...(m.replyId !== undefined && { replyId: m.replyId }),
  });
});
await client.hello();
client.send({ type: 'set_keys', gemini: 'bench-gemini', cartesia: 'bench-cartesia' });
const status = await client.next('key_status');
if (status.gemini !== 'valid' || status.cartesia !== 'valid')
  throw new Error(`keys refused: ${JSON.stringify(status)}`);

const transcript: number[] = [];
const firstAudio: number[] = [];
const replyText: number[] = [];
const headStart: number[] = [];
for (let turn = 0; turn < TURNS; turn++) {
  cartesia.sttTranscripts.push('two negronis please');
  gemini.script(
    {
      chunks: [
        [
          { functionCall: { name: 'add_to_order', args: { item: 'negroni', quantity: 2 } } },
          { functionCall: { name: EXPRESS_TOOL, args: { emotion: 'mixing' } } },
        ],
      ],
    },
    {
      delayMs: CHUNK_MS,
      chunks: [
        [{ text: `Two Negronis, coming right up. ` }],
        [{ text: 'They are my favourite: ' }],
        [{ text: 'bitter and bright. ' }],
        [{ text: `That makes ${turn + 1} rounds. Anything else?` }],
      ],
    },
  );
  const from = arrivals.length;
  await streamPcm((f) => client.sendRaw(f), clip!.pcm, { realTime: false });
  const end = await client.next('reply_end', () => true, 30_000);
  const mine = arrivals.slice(from);
  const at = (type: string) => mine.find((a) => a.type === type)!.at;
  const ended = at('speech_ended');
  const first = mine.find((a) => a.type === 'reply_audio' && a.replyId === end.replyId)!.at;
  const final = at('transcript_final');
  const reply = at('reply');
  transcript.push(final - ended);
  firstAudio.push(first - ended);
  replyText.push(reply - ended);
  headStart.push(reply - first);
  await new Promise((r) => setTimeout(r, 200));
}

console.log(
  `cloud voice, ${TURNS} spoken turns (Cartesia stub TTS first chunk ${TTS_FIRST_CHUNK_MS} ms, Gemini stub ${CHUNK_MS} ms per chunk, 4 text chunks after a tool round), from the end of the guest's speech:`,
);
console.log(`  final transcript (Cartesia STT)           ${fmt(transcript)}`);
console.log(`  first reply audio on the websocket        ${fmt(firstAudio)}`);
console.log(`  whole reply text (model finished)         ${fmt(replyText)}`);
console.log(`  Maya already speaking when the model ends ${fmt(headStart)}`);

await client.close();
await app.close();
await cartesia.close();
await gemini.close();
rmSync(dir, { recursive: true, force: true });
