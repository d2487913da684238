/**
 * A cloud brain with the embedded one behind it. When the cloud fails mid-turn the guest still gets
 * an answer and nothing is lost: what was already spoken stays, a tool that already changed the tab
 * is never run twice (the reply then confirms what was done), and a short notice says what happened.
 * After a failure the fallback is used for a cool-down, so every turn does not wait on a dead service.
 */
import { formatCents } from '../../shared/money.ts';
import { Voice, describeLines, loadPhrasebook, lowerFirst } from '../phrasebook/persona.ts';
import { MUTATING_TOOLS, tabChanges } from '../conversation/tools.ts';
import { INTERRUPTED_REPLY } from '../conversation/ports.ts';
import type { Llm, LlmTurnInput, LlmTurnOutput, ToolResult } from '../conversation/ports.ts';
import { splitSentences } from '../text/sentences.ts';

export const CLOUD_RETRY_AFTER_MS = 60_000;
/** The fallback's own lines come from the phrasebook, like every other spoken line (first variants). */
const voice = new Voice(loadPhrasebook(), 0);
export const CLOUD_FAILED_NOTICE = voice.say('cloud_failed', {}, 0);
/** Tools that change the session: never repeated by the fallback. */

export interface FallbackLlmOptions {
  onFallback?: (err: unknown) => void;
  now?: () => number;
  retryAfterMs?: number;
}

export class FallbackLlm implements Llm {
  private failedAt: number | null = null;

  constructor(
    private readonly primary: Llm,
    private readonly fallback: Llm,
    private readonly opts: FallbackLlmOptions = {},
  ) {}

  get name(): string {
    return this.usingFallback() ? this.fallback.name : this.primary.name;
  }

  private usingFallback(): boolean {
    const now = (this.opts.now ?? Date.now)();
    return (
      this.failedAt !== null &&
      now - this.failedAt < (this.opts.retryAfterMs ?? CLOUD_RETRY_AFTER_MS)
    );
  }

  async turn(input: LlmTurnInput): Promise<LlmTurnOutput> {
    if (this.usingFallback()) return this.fallback.turn(input);
    const applied: { name: string; result: ToolResult }[] = [];
    const spoken: string[] = [];
    try {
      const out = await this.primary.turn({
        ...input,
        runTool: async (name, args) => {
          const result = await input.runTool(name, args);
          if (MUTATING_TOOLS.has(name) && result.ok) applied.push({ name, result });
          return result;
        },
        onSentence: (s) => {
          spoken.push(s);
          input.onSentence?.(s);
        },
      });
      this.failedAt = null;
      return out;
    } catch (err) {
      // Stopped because the guest interrupted, not because the cloud failed: nothing to fall back for.
      if (input.signal?.aborted)
        return {
          text: spoken.join(' ') || INTERRUPTED_REPLY,
          emotion: 'neutral',
          smallTalk: false,
        };
      this.failedAt = (this.opts.now ?? Date.now)();
      this.opts.onFallback?.(err);
      input.onSentence?.(CLOUD_FAILED_NOTICE);
      let streamed = false;
      const rest = applied.length
        ? confirmApplied(applied)
        : await this.fallback.turn({
            ...input,
            onSentence: (s) => ((streamed = true), input.onSentence?.(s)),
          });
      // A brain that does not stream (the embedded one) hands its sentences over now.
      if (!streamed) for (const s of splitSentences(rest.text)) input.onSentence?.(s);
      return { ...rest, text: [...spoken, CLOUD_FAILED_NOTICE, rest.text].join(' ') };
    }
  }
}

/** A reply for tools the cloud brain already ran before it failed (so they are not run again). */
function confirmApplied(applied: { name: string; result: ToolResult }[]): LlmTurnOutput {
  const { added, removed, tabCents } = tabChanges(applied);
  const parts: string[] = [];
  if (added.length)
    parts.push(voice.say('cloud_applied_added', { lines: lowerFirst(describeLines(added)) }, 0));
  if (removed.length)
    parts.push(
      voice.say('cloud_applied_removed', { lines: lowerFirst(describeLines(removed)) }, 0),
    );
  if (tabCents !== undefined)
    parts.push(voice.say('cloud_applied_tab', { tab: formatCents(tabCents) }, 0));
  return {
    text: parts.join(' ') || voice.say('cloud_applied_nothing', {}, 0),
    emotion: added.length ? 'mixing' : 'neutral',
    smallTalk: false,
  };
}
