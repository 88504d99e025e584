// The demo's setup problems are said as what to install, and the conversation stays bounded.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { Conversation, MAX_MESSAGES } from '../../../src/playground/conversation.js';
import { DemoError, startDemoServices } from '../../../src/playground/demo.js';
import { demoConfigYaml } from '../../../src/playground/demo-seed.js';
import { fileConfigSchema } from '../../../src/config/schema.js';
import { parseDocument } from 'yaml';

describe('startDemoServices', () => {
  it('says how to install moto\'s server when the Python it is given has none', async () => {
    const error = await startDemoServices({ logger: silentLogger(), python: 'python-that-is-not-here' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoError);
    expect((error as Error).message).toContain("pip install 'moto[server]'");
    expect((error as Error).message).toContain('leave out --demo');
  });
});

describe('demoConfigYaml', () => {
  it('is a valid configuration whose cleanup the playground user may confirm', () => {
    const parsed = fileConfigSchema.parse(parseDocument(demoConfigYaml('U0PLAYGROUND')).toJS());
    expect(parsed.cleanup.allowedUsers).toEqual(['U0PLAYGROUND']);
    expect(parsed.buckets[0]).toMatchObject({ name: 's3-chatops-demo-docs', alias: 'demo' });
    expect(parsed.channels).toEqual({ alerts: 'C0ALERTS', digest: 'C0DIGEST', audit: 'C0AUDIT' });
  });
});

describe('Conversation', () => {
  it('keeps the newest messages only, up to its bound', () => {
    const conversation = new Conversation((c) => c);
    for (let i = 0; i <= MAX_MESSAGES; i += 1) conversation.post('C0X', { text: `m${i}` }, false);
    expect(conversation.all()).toHaveLength(MAX_MESSAGES);
    expect(conversation.all()[0]!.text).toBe('m1');
  });

  it('puts a reply with thread_ts under its parent, and a reply to a response_url without one as ephemeral', () => {
    const conversation = new Conversation((c) => c);
    const parent = conversation.post('C0X', { text: 'status' }, false);
    const reply = conversation.post('C0X', { text: 'worked', thread_ts: parent.ts }, false);
    expect(reply.parentId).toBe(parent.id);
    conversation.respond({ channel: 'C0X' }, { text: 'bad input' });
    expect(conversation.all().at(-1)).toMatchObject({ text: 'bad input', ephemeral: true });
    conversation.respond({ channel: 'C0X', originId: parent.id }, { delete_original: true });
    expect(conversation.get(parent.id)!.deleted).toBe(true);
  });
});
