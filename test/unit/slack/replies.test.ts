import { describe, expect, it } from 'vitest';
import { withReuseNote } from '../../../src/commands/ask-command.js';
import { responseTypeFor } from '../../../src/slack/replies.js';
import { bucketFromButtonValue } from '../../../src/message/status-buttons.js';

describe('responseTypeFor', () => {
  it('keeps help and ephemeral messages with the asker and posts reports in the channel', () => {
    expect(responseTypeFor('help', { summary: 'h', blocks: [] })).toBe('ephemeral');
    expect(responseTypeFor('status', { summary: 's', blocks: [], ephemeral: true })).toBe('ephemeral');
    expect(responseTypeFor('status', { summary: 's', blocks: [] })).toBe('in_channel');
  });
});

describe('withReuseNote', () => {
  it('adds a context line with the age and the reuse window', () => {
    const noted = withReuseNote({ summary: 's', blocks: [{ kind: 'text', text: 'x' }] }, 12_400, 20_000);
    expect(noted.blocks).toHaveLength(2);
    expect(noted.blocks[1]).toEqual({ kind: 'context', text: expect.stringContaining('12 s ago') });
    expect((noted.blocks[1] as { text: string }).text).toContain('20 s');
  });
});

describe('bucketFromButtonValue', () => {
  it('reads a plain name, JSON with a bucket field, and empty as the fleet', () => {
    expect(bucketFromButtonValue('docs')).toBe('docs');
    expect(bucketFromButtonValue('{"bucket":"docs-bucket"}')).toBe('docs-bucket');
    expect(bucketFromButtonValue('')).toBeUndefined();
    expect(bucketFromButtonValue(undefined)).toBeUndefined();
  });
});
