/**
 * The embedded bartender brain: the turn's intent → one handler (handlers/) → registry tools → a
 * short spoken-style reply and an emotion (DOMAIN.md "Emotions"). Deterministic, offline, and the
 * default for every guest without an LLM key. Replies come from the phrasebook; casual turns from
 * the small-talk corpus. The processor understands each turn once and hands the understanding over;
 * a caller without one (a bench, a test) gets the text understood here.
 */
import type { Llm, LlmTurnInput, LlmTurnOutput } from '../ports.ts';
import type { SessionState } from '../../domain/session.ts';
import { typedTools } from '../tools.ts';
import { understand } from './intents.ts';
import { Voice, loadPhrasebook } from '../../phrasebook/persona.ts';
import type { Phrasebook } from '../../phrasebook/persona.ts';
import { SmallTalk } from './smallTalk.ts';
import { respond } from './handlers/index.ts';
import { BUNDLED_MENU } from '../../../shared/menu.ts';

export { describeLines } from '../../phrasebook/persona.ts';
export { withArticle } from './turnContext.ts';
export { itemFromPhrase } from './offers.ts';

export interface EmbeddedBrainOptions {
  phrasebook?: Phrasebook;
  smallTalk?: SmallTalk;
}

export class EmbeddedBrain implements Llm {
  readonly name = 'embedded';
  readonly phrasebook: Phrasebook;
  readonly smallTalk: SmallTalk;

  constructor(options: EmbeddedBrainOptions = {}) {
    this.phrasebook = options.phrasebook ?? loadPhrasebook();
    this.smallTalk = options.smallTalk ?? SmallTalk.load();
  }

  /** Maya's voice for a turn of this session: varies with the turn, never repeats the last variant. */
  voiceFor(state: SessionState): Voice {
    return new Voice(
      this.phrasebook,
      state.conversation.turnCount,
      state.conversation.recentPhrases,
    );
  }

  async turn({
    text,
    state,
    runTool,
    understood,
    menu = BUNDLED_MENU,
  }: LlmTurnInput): Promise<LlmTurnOutput> {
    const voice = this.voiceFor(state);
    const u = understood ?? understand(text, menu);
    const ctx = {
      text,
      understood: u,
      state,
      tools: typedTools(runTool),
      voice,
      smallTalk: this.smallTalk,
      menu,
    };
    const out = await respond(ctx, u.intent);
    if (u.also) {
      // The question asked beside the order, answered after it: its words follow, its offer stands
      // when the order made none.
      const answer = await respond({ ...ctx, text: u.alsoSaid ?? text }, u.also);
      return {
        ...out,
        text: `${out.text} ${answer.text}`,
        ...(!out.offer && answer.offer && { offer: answer.offer }),
        ...(!out.offer && !answer.offer && answer.mentioned && { mentioned: answer.mentioned }),
        ...(!out.usedLine && answer.usedLine && { usedLine: answer.usedLine }),
        phrases: { ...out.phrases, ...answer.phrases, ...voice.picked },
      };
    }
    return { ...out, phrases: { ...out.phrases, ...voice.picked } };
  }
}
