import { describe, expect, it } from 'vitest';
import { pressOf } from '../../../src/teams/actions.js';
import { commandText } from '../../../src/teams/reply.js';

describe('commandText', () => {
  it('drops the bot mention wherever it is, and non-breaking spaces', () => {
    expect(commandText('<at>s3-chatops</at> status docs')).toBe('status docs');
    expect(commandText('status&nbsp;<at>S3 Chat Ops</at>\u00a0docs')).toBe('status   docs');
    expect(commandText(undefined)).toBe('');
  });

  it('keeps everything else the person typed, for the parser to judge', () => {
    expect(commandText('status <@U0VICTIM>[x](https://evil.example)')).toBe('status <@U0VICTIM>[x](https://evil.example)');
  });
});

describe('pressOf', () => {
  it('reads the verb and the value of a Universal Action', () => {
    expect(pressOf({ action: { type: 'Action.Execute', verb: 'status_refresh', data: { value: 'docs' } } })).toEqual({ verb: 'status_refresh', value: 'docs' });
    expect(pressOf({ action: { verb: 'status_refresh', data: {} } })).toEqual({ verb: 'status_refresh', value: '' });
  });

  it('refuses a press whose verb or value is not a string of a sane length', () => {
    expect(pressOf(undefined)).toBeUndefined();
    expect(pressOf({ action: { verb: 42, data: { value: 'docs' } } })).toBeUndefined();
    expect(pressOf({ action: { verb: 'status_refresh', data: { value: { bucket: 'docs' } } } })).toBeUndefined();
    expect(pressOf({ action: { verb: 'status_refresh', data: { value: 'x'.repeat(5_000) } } })).toBeUndefined();
  });
});
