// moto stores bucket policies but does not enforce them (its IAM checks are off, and are global to
// the shared server when on). This proxy in front of moto enforces one thing, as S3 does: an
// explicit Deny of s3:PutObject in the bucket's real (moto-stored) policy refuses object writes
// with S3's AccessDenied answer. Everything else passes through untouched.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

function denies(policy: string, action: string, resource: string): boolean {
  const statements = (JSON.parse(policy) as { Statement?: Statement[] }).Statement ?? [];
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const matches = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
  return statements.some((s) => s.Effect === 'Deny' && list(s.Action).some((a) => matches(a, action)) && list(s.Resource).some((r) => matches(r, resource)));
}

/** Starts the proxy; `s3` reads the policies straight from moto. */
export async function startPolicyProxy(motoUrl: string, s3: S3Client): Promise<{ url: string; stop(): Promise<void> }> {
  const target = new URL(motoUrl);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const [bucket, ...rest] = path.replace(/^\//, '').split('/');
      const key = decodeURIComponent(rest.join('/'));
      const objectWrite = key !== '' && (req.method === 'PUT' || (req.method === 'POST' && (req.url ?? '').includes('uploads')));
      if (objectWrite && bucket) {
        const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then((p) => p.Policy, () => undefined);
        const resource = `arn:aws:s3:::${bucket}/${key}`;
        if (policy && denies(policy, 's3:PutObject', resource)) {
          req.resume();
          res.writeHead(403, { 'content-type': 'application/xml' });
          res.end(
            `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/s3-chatops is not authorized to perform: s3:PutObject on resource: "${resource}" with an explicit deny in a resource-based policy</Message><RequestId>proxy</RequestId></Error>`,
          );
          return;
        }
      }
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
