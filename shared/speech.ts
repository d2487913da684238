/**
 * The speech pipeline's vocabulary: one closed union of events the server sends while listening and
 * speaking, and the few control messages the client sends back. Binary frames carry the audio itself
 * (client → server: microphone, 16 kHz mono s16le; server → client: reply audio, announced first by a
 * `reply_audio` message giving its format and length).
 */
import { z } from 'zod';

export const SPEECH_SAMPLE_RATE_HZ = 16_000;

const utteranceId = z.number().int().nonnegative();
const replyId = z.number().int().nonnegative();
const TimingSchema = z.object({ label: z.string(), startMs: z.number(), endMs: z.number() });
export type SpeechTiming = z.infer<typeof TimingSchema>;

// ---- server → client -------------------------------------------------------------------------
/** The endpointer heard the guest start speaking. */
export const SpeechStartedSchema = z.object({ type: z.literal('speech_started'), utteranceId });
/** The endpointer decided the guest stopped speaking (the final transcript follows). */
export const SpeechEndedSchema = z.object({ type: z.literal('speech_ended'), utteranceId });
/** A live hypothesis while the guest speaks: a caption, not yet a turn. */
export const TranscriptPartialSchema = z.object({
  type: z.literal('transcript_partial'),
  utteranceId,
  text: z.string(),
});
/** What the guest said. `rejected`: not understood (out of vocabulary) — it never becomes an order. */
export const TranscriptFinalSchema = z.object({
  type: z.literal('transcript_final'),
  utteranceId,
  text: z.string(),
  rejected: z.boolean(),
});
/**
 * A piece of Maya's spoken reply: one sentence, or one streamed chunk of it (a cloud voice sends a
 * sentence in several chunks, each with its own header). The next binary frames from the server carry
 * exactly `samples` samples in the format given here. Timings are relative to this chunk's first sample.
 * How many sentences a reply has is not known up front (they are spoken while the model still
 * writes); `reply_end` says when the last one has been sent.
 */
export const ReplyAudioSchema = z.object({
  type: z.literal('reply_audio'),
  replyId,
  /** Index of the sentence within the reply; repeated on every chunk of that sentence. */
  sentence: z.number().int().nonnegative(),
  text: z.string(),
  encoding: z.literal('pcm_s16le'),
  sampleRate: z.number().int().positive(),
  channels: z.literal(1),
  samples: z.number().int().nonnegative(),
  words: z.array(TimingSchema),
  phones: z.array(TimingSchema),
});
/** Every sentence of the reply has been sent: once its audio has played, Maya has finished speaking. */
export const ReplyEndSchema = z.object({
  type: z.literal('reply_end'),
  replyId,
  sentences: z.number().int().nonnegative(),
});
/** The reply stopped early: the client stops playback now and drops the rest of its audio. */
export const InterruptedSchema = z.object({
  type: z.literal('interrupted'),
  replyId,
  reason: z.enum(['barge_in', 'new_reply', 'client']),
});

export const SPEECH_EVENT_SCHEMAS = [
  SpeechStartedSchema,
  SpeechEndedSchema,
  TranscriptPartialSchema,
  TranscriptFinalSchema,
  ReplyAudioSchema,
  ReplyEndSchema,
  InterruptedSchema,
] as const;
export const SpeechEventSchema = z.discriminatedUnion('type', [...SPEECH_EVENT_SCHEMAS]);

/**
 * Events that belong to one reply, and so die with it: once the reply is interrupted, none of them
 * (nor the reply's binary audio) goes out. Every other event always does (Pipecat's data frames
 * versus system frames): interruption is decided by the type of an event, not by flags.
 */
export const REPLY_EVENT_TYPES = [
  'reply_audio',
  'reply_end',
] as const satisfies readonly SpeechEvent['type'][];
export function diesWithReply(type: string): boolean {
  return (REPLY_EVENT_TYPES as readonly string[]).includes(type);
}
export type SpeechEvent = z.infer<typeof SpeechEventSchema>;
export type ReplyAudio = z.infer<typeof ReplyAudioSchema>;
export type ReplyEnd = z.infer<typeof ReplyEndSchema>;

// ---- client → server -------------------------------------------------------------------------
/** The guest started talking over Maya (push-to-talk pressed while she speaks): cancel her reply. */
export const BargeInSchema = z.object({ type: z.literal('barge_in') });
/** Push-to-talk released: the utterance is over, no need to wait for the endpointer. */
export const EndOfSpeechSchema = z.object({ type: z.literal('end_of_speech') });
/**
 * Playback progress of a reply, for the echo guard and for latency measurement. With `stopped`,
 * `playedMs` says how much of the reply's audio had sounded: the conversation history keeps only
 * what the guest heard.
 */
export const PlaybackSchema = z.object({
  type: z.literal('playback'),
  replyId,
  event: z.enum(['started', 'ended', 'stopped']),
  playedMs: z.number().nonnegative().max(3_600_000).optional(),
});

export const SPEECH_CONTROL_SCHEMAS = [BargeInSchema, EndOfSpeechSchema, PlaybackSchema] as const;
export type SpeechControl = z.infer<(typeof SPEECH_CONTROL_SCHEMAS)[number]>;
