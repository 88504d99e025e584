import { describe, expect, it } from 'vitest';
import { cleanupTicketKey, openCleanupTicket, sealCleanupTicket, type CleanupTicket } from '../../../src/actions/cleanup-ticket.js';

const key = cleanupTicketKey({ signingSecret: 'signing-secret-1' });
const ticket: CleanupTicket = { bucket: 'docs-bucket', prefix: '_s3-chatops/test/', cutoff: '2026-11-19T09:00:00.000Z', includeUnmarked: false, keys: 12, requester: 'U0ASKER' };

describe('cleanup ticket', () => {
  it('opens what it sealed, with the same key', () => {
    expect(openCleanupTicket(sealCleanupTicket(ticket, key), key)).toEqual(ticket);
    expect(openCleanupTicket(sealCleanupTicket(ticket, key), cleanupTicketKey({ signingSecret: 'signing-secret-1' }))).toEqual(ticket);
  });

  it('refuses a value whose plan was edited, whichever field', () => {
    const sealed = sealCleanupTicket(ticket, key);
    const mac = sealed.slice(sealed.indexOf('.') + 1);
    for (const change of [{ bucket: 'other-bucket' }, { prefix: '' }, { cutoff: '2999-01-01T00:00:00.000Z' }, { keys: 100_000 }, { includeUnmarked: true }, { requester: 'U0STRANGER' }]) {
      const body = Buffer.from(JSON.stringify({ ...ticket, ...change })).toString('base64url');
      expect(openCleanupTicket(`${body}.${mac}`, key)).toBeNull();
    }
  });

  it('refuses a ticket sealed under another secret, old-style JSON values and noise', () => {
    expect(openCleanupTicket(sealCleanupTicket(ticket, cleanupTicketKey({ signingSecret: 'another' })), key)).toBeNull();
    expect(openCleanupTicket(JSON.stringify({ bucket: 'docs-bucket', cutoff: ticket.cutoff }), key)).toBeNull();
    for (const noise of [undefined, '', '.', 'docs-bucket', 'a.b', `${'x'.repeat(3000)}.${'y'.repeat(43)}`]) expect(openCleanupTicket(noise, key)).toBeNull();
  });
});
