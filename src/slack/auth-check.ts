/** Who the bot is, from Slack `auth.test`. */
export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

export interface AuthCheckOptions {
  /** Calls Slack `auth.test` with the bot token. */
  authTest: () => Promise<{ bot_id?: string; user_id?: string }>;
  now: () => Date;
  /** After a failure, how long before asking Slack again. */
  retryAfterMs?: number;
}

/**
 * Runs Slack `auth.test` once it passes and remembers the answer; after a failure it asks
 * again only after a pause, so an unreachable Slack never holds up acknowledgements.
 */
export class SlackAuthCheck {
  private identity?: BotIdentity;
  private inFlight?: Promise<BotIdentity | undefined>;
  private failedAt?: Date;
  private lastError?: string;

  constructor(private readonly options: AuthCheckOptions) {}

  /** True once `auth.test` has passed. */
  get passed(): boolean {
    return this.identity !== undefined;
  }

  /** Why the last `auth.test` failed, if it did. */
  get error(): string | undefined {
    return this.lastError;
  }

  /** The bot's identity if known; `undefined` when Slack could not confirm the token. */
  verify(): Promise<BotIdentity | undefined> {
    if (this.identity) return Promise.resolve(this.identity);
    if (this.inFlight) return this.inFlight;
    const pause = this.options.retryAfterMs ?? 10_000;
    if (this.failedAt && this.options.now().getTime() - this.failedAt.getTime() < pause) return Promise.resolve(undefined);
    this.inFlight = this.options
      .authTest()
      .then((result) => {
        this.identity = { botId: result.bot_id, botUserId: result.user_id };
        this.lastError = undefined;
        return this.identity;
      })
      .catch((error: unknown) => {
        this.failedAt = this.options.now();
        this.lastError = error instanceof Error ? error.message : String(error);
        return undefined;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** The identity already known, without asking Slack. */
  get known(): BotIdentity | undefined {
    return this.identity;
  }
}
