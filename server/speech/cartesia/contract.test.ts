import { afterAll, beforeAll } from 'vitest';
import { startCartesiaStub } from '../../testing/stubs/cartesia.ts';
import type { CartesiaStub } from '../../testing/stubs/cartesia.ts';
import { describeSttContract, describeTtsContract } from '../contract.ts';
import { CartesiaTts } from './tts.ts';
import { CartesiaStt } from './stt.ts';

let stub: CartesiaStub;
beforeAll(async () => {
  stub = await startCartesiaStub({ chunkDelayMs: 2 });
});
afterAll(() => stub.close());
const conn = () => ({ apiKey: 'good-cartesia-key', baseUrl: stub.baseUrl, ca: stub.ca });

describeTtsContract('Cartesia (stub)', () => new CartesiaTts(conn()));
describeSttContract('Cartesia (stub)', () => new CartesiaStt(conn()), () => {
  stub.sttTranscripts.push('Two Negronis please');
  return { pcm: new Int16Array(16000).map((_, i) => Math.round(4000 * Math.sin(i / 7))), expected: 'two negronis please' };
});
