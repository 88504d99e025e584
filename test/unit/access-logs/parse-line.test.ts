import { describe, expect, it } from 'vitest';
import { parseAccessLogLine, parseLogTime, splitFields } from '../../../src/access-logs/parse-line.js';
import * as L from '../../fixtures/access-logs/lines.js';

const parse = (line: string) => {
  const record = parseAccessLogLine(line);
  if (!record) throw new Error(`not parsed: ${line.slice(0, 80)}`);
  return record;
};

describe('parseAccessLogLine', () => {
  it('reads every field of a PUT, in the documented order', () => {
    expect(parse(L.PUT_OBJECT)).toEqual({
      bucketOwner: L.OWNER,
      bucket: L.BUCKET,
      time: new Date('2019-02-06T00:00:38Z'),
      remoteIp: '192.0.2.3',
      requester: L.APP_ROLE,
      requestId: '3E57427F3EXAMPLE',
      operation: 'REST.PUT.OBJECT',
      key: 'cases/case-1/report%20final.pdf',
      requestUri: 'PUT /cases/case-1/report%20final.pdf HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: null,
      objectSize: 284123,
      totalTimeMs: 57,
      turnAroundTimeMs: 12,
      referer: null,
      userAgent: 'aws-sdk-js/3.600.0 ua/2.1 os/linux',
      versionId: '3HL4kqtJvjVBH40Nrjfkd',
      hostId: 's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
      signatureVersion: 'SigV4',
      cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      authenticationType: 'AuthHeader',
      hostHeader: `${L.BUCKET}.s3.us-west-1.amazonaws.com`,
      tlsVersion: 'TLSv1.3',
      accessPointArn: null,
      aclRequired: null,
      sourceRegion: 'us-east-1',
      extraFields: [],
    });
  });

  it('reads the three steps of a multipart upload', () => {
    const initiate = parse(L.MULTIPART_INITIATE);
    expect([initiate.operation, initiate.key, initiate.requestUri, initiate.httpStatus, initiate.bytesSent, initiate.objectSize]).toEqual([
      'REST.POST.UPLOADS', 'videos/big.mp4', 'POST /videos/big.mp4?uploads HTTP/1.1', 200, 342, null,
    ]);
    const part = parse(L.MULTIPART_PART);
    expect([part.operation, part.requestUri, part.objectSize, part.totalTimeMs, part.turnAroundTimeMs]).toEqual([
      'REST.PUT.PART', 'PUT /videos/big.mp4?partNumber=1&uploadId=VXBsb2FkSUQ HTTP/1.1', 8388608, 410, 25,
    ]);
    const complete = parse(L.MULTIPART_COMPLETE);
    expect([complete.operation, complete.time.toISOString(), complete.bytesSent, complete.objectSize, complete.versionId]).toEqual([
      'REST.POST.UPLOAD', '2019-02-06T00:01:30.000Z', 329, 16777216, null,
    ]);
  });

  it('reads a GET with a quoted referer and a user agent holding spaces and parentheses', () => {
    const r = parse(L.GET_OBJECT);
    expect(r.referer).toBe('https://s3.console.aws.amazon.com/');
    expect(r.userAgent).toBe('Mozilla/5.0 (X11; Linux x86_64) S3Console/0.4');
    expect([r.requester, r.remoteIp, r.bytesSent, r.objectSize, r.sourceRegion]).toEqual([L.ALICE, '198.51.100.7', 284123, 284123, 'us-east-1']);
  });

  it('reads a DELETE whose byte counts and turn-around are `-`', () => {
    const r = parse(L.DELETE_OBJECT);
    expect([r.operation, r.httpStatus, r.bytesSent, r.objectSize, r.totalTimeMs, r.turnAroundTimeMs]).toEqual(['REST.DELETE.OBJECT', 204, null, null, 9, null]);
  });

  it('reads a 403 with its error code and requester', () => {
    const r = parse(L.PUT_DENIED);
    expect([r.httpStatus, r.errorCode, r.requester, r.remoteIp, r.key, r.userAgent]).toEqual([
      403, 'AccessDenied', 'arn:aws:sts::123456789012:assumed-role/Intruder/session-1', '203.0.113.9', 'secrets/x.txt', 'curl/8.5.0',
    ]);
  });

  it('reads a 404 NoSuchKey', () => {
    const r = parse(L.GET_MISSING);
    expect([r.httpStatus, r.errorCode, r.bytesSent, r.objectSize]).toEqual([404, 'NoSuchKey', 272, null]);
  });

  it('reads a pre-signed request: query-string auth, access point, ACL required, a non-UTC offset', () => {
    const r = parse(L.PRESIGNED_GET);
    expect(r.authenticationType).toBe('QueryString');
    expect(r.requestUri).toContain('X-Amz-Signature=abc123');
    expect(r.accessPointArn).toBe('arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP');
    expect(r.aclRequired).toBe(true);
    // 00:06 at -0500 is 05:06 UTC.
    expect(r.time.toISOString()).toBe('2019-02-06T05:06:00.000Z');
  });

  it('reads the oldest, shorter record: later fields are null, the anonymous requester too', () => {
    const r = parse(L.FEWER_FIELDS);
    expect(r.requester).toBeNull();
    expect(r.userAgent).toBe('S3Console/0.4');
    expect([r.versionId, r.hostId, r.signatureVersion, r.cipherSuite, r.authenticationType, r.hostHeader, r.tlsVersion, r.accessPointArn, r.aclRequired, r.sourceRegion]).toEqual(
      [null, null, null, null, null, null, null, null, null, null],
    );
    expect(r.extraFields).toEqual([]);
  });

  it('keeps fields appended after the documented ones, and reads the known ones as usual', () => {
    const r = parse(L.EXTRA_FIELDS);
    expect(r.operation).toBe('REST.COPY.OBJECT');
    expect(r.sourceRegion).toBe('us-east-1');
    expect(r.extraFields).toEqual(['future-field-1', 'future field 2']);
  });

  it('accepts a Windows line ending', () => {
    expect(parse(`${L.PUT_OBJECT}\r`).sourceRegion).toBe('us-east-1');
  });

  it.each([
    ['an empty line', ''],
    ['a line cut inside the request line', L.PUT_OBJECT.slice(0, L.PUT_OBJECT.indexOf('HTTP/1.1'))],
    ['a line cut before the user agent', L.PUT_OBJECT.slice(0, L.PUT_OBJECT.indexOf('"-"'))],
    ['a bad time', L.PUT_OBJECT.replace('06/Feb/2019:00:00:38 +0000', '2019-02-06T00:00:38Z')],
    ['a status that is not a number', L.PUT_OBJECT.replace('" 200 -', '" OK -')],
    ['a size that is not a number', L.PUT_OBJECT.replace('284123', '28k')],
    ['a CSV line', 'owner,bucket,time,ip,requester,id,op,key,uri,status,code,bytes,size,total,turn,ref,ua'],
  ])('returns null for %s', (_, line) => {
    expect(parseAccessLogLine(line)).toBeNull();
  });
});

describe('splitFields', () => {
  it('keeps quoted and bracketed fields whole and drops their delimiters', () => {
    expect(splitFields('a [b c] "d e" f')).toEqual(['a', 'b c', 'd e', 'f']);
  });

  it('does not end a quoted field at a quote that is not followed by a space', () => {
    expect(splitFields('a "Mozilla "x"y" b')).toEqual(['a', 'Mozilla "x"y', 'b']);
  });

  it('returns null for an unterminated quote', () => {
    expect(splitFields('a "b c')).toBeNull();
  });
});

describe('parseLogTime', () => {
  it('reads the bracketed time with its offset', () => {
    expect(parseLogTime('31/Dec/2024:23:59:59 +0130')?.toISOString()).toBe('2024-12-31T22:29:59.000Z');
  });

  it('returns null for an unknown month', () => {
    expect(parseLogTime('06/Fev/2019:00:00:38 +0000')).toBeNull();
  });
});
