import { describe, expect, it } from 'vitest';
import { answerKey, responseTypeFor, withReuseNote } from '../../../src/slack/replies.js';
import { bucketFromButtonValue } from '../../../src/slack/actions/refresh.js';

const bucket = { name: 'docs-bucket', alias: 'docs', testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' };

describe('answerKey', () => {
  it('is the same for the same verb, bucket and flags in any order', () => {
    expect(answerKey('uploads', { bucket, flags: { limit: '5', prefix: 'a/' } })).toBe(
      answerKey('uploads', { bucket: { ...bucket }, flags: { prefix: 'a/', limit: '5', since: undefined } }),
    );
  });
  it('differs by verb, bucket and flag value', () => {
    const base = answerKey('uploads', { bucket, flags: { limit: '5' } });
    expect(answerKey('errors', { bucket, flags: { limit: '5' } })).not.toBe(base);
    expect(answerKey('uploads', { bucket: { ...bucket, name: 'other' }, flags: { limit: '5' } })).not.toBe(base);
    expect(answerKey('uploads', { bucket, flags: { limit: '6' } })).not.toBe(base);
    expect(answerKey('uploads', { flags: { limit: '5' } })).not.toBe(base);
  });
});

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
