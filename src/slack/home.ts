import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandContext } from '../commands/types.js';
import { userMessageOf } from '../lib/errors.js';
import type { Report } from '../message/model.js';
import type { AnswerPool } from '../commands/answer-pool.js';
import type { SlackFeatures } from './features.js';
import { BUSY_TEXT } from './replies.js';
import { underDeadline } from '../commands/deadline-context.js';

export interface HomeDeps {
  features: SlackFeatures;
  pool: AnswerPool<Report>;
  ctx: CommandContext;
  logger: Logger;
}

/** The key under which App Home openings share one fleet overview. */
const OVERVIEW_KEY = JSON.stringify(['home-overview']);

/** App Home: on `app_home_opened`, publish the fleet overview (every configured bucket). */
export function registerHome(app: App, deps: HomeDeps): void {
  const { features, pool, ctx, logger } = deps;
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const log = logger.child({ event: 'app_home_opened', user: event.user });
    const answer = pool.ask(OVERVIEW_KEY, (signal) => features.overview(underDeadline(ctx, signal)));
    let rendered: { text: string; blocks: unknown[] };
    if (answer.kind === 'busy') {
      rendered = plainView(BUSY_TEXT);
    } else {
      try {
        const report = answer.kind === 'reused' ? answer.value : await answer.promise;
        rendered = features.render(report.message);
      } catch (error) {
        log.error({ err: error }, 'overview failed');
        rendered = plainView(userMessageOf(error));
      }
    }
    try {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: rendered.blocks as never } });
    } catch (error) {
      log.warn({ err: error }, 'could not publish the App Home view');
    }
  });
}

function plainView(text: string): { text: string; blocks: unknown[] } {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
