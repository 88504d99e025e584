/** Starting a confirmed cleanup exactly once: the port the listeners call, and what it is given. */
import type { Message } from '../message/model.js';
import type { SlackMessageRef } from './slack-messenger.js';

/** A confirmed cleanup, as the preview fixed it: the data of the cleanup job. */
export interface CleanupJobData {
  bucket: string;
  /** The bucket as people call it (alias or name). */
  label: string;
  prefix: string;
  /** ISO; fixed when the preview was made, so a retried or resumed job never reaches newer keys. */
  cutoff: string;
  /** Also delete old keys the test upload did not write; absent (jobs queued before it existed) means no. */
  includeUnmarked?: boolean;
  /** Keys the confirmed preview showed: a plan grown past it is refused. */
  maxKeys?: number;
  /** Who confirmed. */
  user: string;
  /** The preview message, edited with progress and the summary. */
  message?: SlackMessageRef;
  /** The preview card, when Delete was pressed in Teams: edited with progress and the summary as the bot. */
  teamsCard?: TeamsCardRef;
  auditChannel?: string;
}

/** A card the Teams bot posted: where it is (the Bot Connector, the conversation) and its activity id. */
export interface TeamsCardRef {
  serviceUrl: string;
  conversationId: string;
  activityId: string;
}

/** Edits a card the Teams bot posted; a fake in unit tests. */
export interface TeamsCardEditor {
  update(ref: TeamsCardRef, message: Message): Promise<void>;
}

export type CleanupStartOutcome = { started: true; jobId: string } | { started: false; jobId: string; by: string };

/** Starts a confirmed cleanup; a second start of the same preview reports who started it. */
export interface CleanupStarter {
  start(data: CleanupJobData): Promise<CleanupStartOutcome>;
}
