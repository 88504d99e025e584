/**
 * A local stand-in for Microsoft Entra as the Teams bot's SDK sees it: an authority whose JWKS
 * (`<authority>/<tenant>/discovery/v2.0/keys`) the SDK fetches, and RS256 tokens signed with its
 * key, shaped like the ones the Bot Connector sends (audience the bot's app id, issuer the tenant's).
 */
import { createPrivateKey, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocal } from './local-server.js';

export interface TokenOptions {
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for a token that has expired. */
  expiresIn?: number;
  /** Signs with another key under the issuer's key id: a bad signature. */
  forgedKey?: KeyObject;
  serviceUrl?: string;
}

export class TeamsIssuer {
  private readonly keyId = `k-${randomUUID()}`;
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;
  private server?: Server;
  private port = 0;
  /** How many times the SDK fetched the keys. */
  keyFetches = 0;

  constructor(
    readonly appId: string,
    readonly tenantId: string,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: this.keyId, use: 'sig', alg: 'RS256' };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === `/${this.tenantId}/discovery/v2.0/keys`) {
        this.keyFetches += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [this.jwk] }));
        return;
      }
      res.writeHead(404).end();
    });
    this.port = await listenLocal(this.server);
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }

  /** The authority to configure (TEAMS_AUTHORITY). */
  get authority(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The issuer the SDK accepts for the tenant under this authority. */
  get issuer(): string {
    return `${this.authority}/${this.tenantId}/v2.0`;
  }

  /** A signed token for one request. */
  token(options: TokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.keyId };
    const payload = {
      aud: options.audience ?? this.appId,
      iss: options.issuer ?? this.issuer,
      tid: this.tenantId,
      iat: now - 10,
      nbf: now - 10,
      exp: now + (options.expiresIn ?? 600),
      ...(options.serviceUrl ? { serviceurl: options.serviceUrl } : {}),
    };
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = `${part(header)}.${part(payload)}`;
    const signature = createSign('RSA-SHA256').update(signed).sign(options.forgedKey ?? this.privateKey).toString('base64url');
    return `${signed}.${signature}`;
  }
}

/** A key no issuer published. */
export function strangerKey(): KeyObject {
  return createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
}
