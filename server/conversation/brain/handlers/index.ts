/**
 * The embedded brain's respond(): one handler per intent kind, looked up in a table. The compiler
 * checks the table has exactly one handler for every kind the understanding can produce.
 */
import type { Intent } from '../intents.ts';
import type { HandlerTable, Reply, TurnContext } from '../turnContext.ts';
import { orderHandlers } from './orders.ts';
import { questionHandlers } from './questions.ts';
import { tabHandlers } from './tab.ts';
import { talkHandlers } from './talk.ts';

export const HANDLERS: HandlerTable = {
  ...orderHandlers,
  ...questionHandlers,
  ...tabHandlers,
  ...talkHandlers,
};

export async function respond(ctx: TurnContext, intent: Intent): Promise<Reply> {
  const handler = HANDLERS[intent.kind] as (
    ctx: TurnContext,
    intent: Intent,
  ) => Promise<Reply> | Reply;
  return handler(ctx, intent);
}

export { orderAndReply, swapAndReply } from './orders.ts';
