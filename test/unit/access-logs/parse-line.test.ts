import { describe, expect, it } from 'vitest';
import { parseAccessLogLine, parseLogTime, splitFields } from '../../../src/access-logs/parse-line.js';
import type { AccessLogRecord } from '../../../src/access-logs/record.js';
import * as L from '../../fixtures/access-logs/lines.js';

const parse = (line: string) => {
  const record = parseAccessLogLine(line);
  if (!record) throw new Error(`not parsed: ${line.slice(0, 80)}`);
  return record;
};

/** The fields every line here shares: the owner and bucket, and today's documented tail after the host id. */
const SHARED = { bucketOwner: L.OWNER, bucket: L.BUCKET };
const TAIL = {
  signatureVersion: 'SigV4',
  cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
  authenticationType: 'AuthHeader',
  hostHeader: L.HOST,
  tlsVersion: 'TLSv1.3',
  accessPointArn: null,
  aclRequired: null,
  sourceRegion: 'us-east-1',
  extraFields: [],
};

// Each expected record is written from its fixture line, field by field in the documented order.
const EXPECTED: [string, string, AccessLogRecord][] = [
  [
    'a PUT, in the documented order',
    L.PUT_OBJECT,
    {
      ...SHARED,
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
      ...TAIL,
    },
  ],
  [
    'the start of a multipart upload (CreateMultipartUpload)',
    L.MULTIPART_INITIATE,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:01:00Z'),
      remoteIp: '192.0.2.3',
      requester: L.APP_ROLE,
      requestId: '4A11A11A1EXAMPLE',
      operation: 'REST.POST.UPLOADS',
      key: 'videos/big.mp4',
      requestUri: 'POST /videos/big.mp4?uploads HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: 342,
      objectSize: null,
      totalTimeMs: 20,
      turnAroundTimeMs: 19,
      referer: null,
      userAgent: 'aws-sdk-js/3.600.0',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
    },
  ],
  [
    'a part of a multipart upload (UploadPart)',
    L.MULTIPART_PART,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:01:05Z'),
      remoteIp: '192.0.2.3',
      requester: L.APP_ROLE,
      requestId: '4A11A11A2EXAMPLE',
      operation: 'REST.PUT.PART',
      key: 'videos/big.mp4',
      requestUri: 'PUT /videos/big.mp4?partNumber=1&uploadId=VXBsb2FkSUQ HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: null,
      objectSize: 8388608,
      totalTimeMs: 410,
      turnAroundTimeMs: 25,
      referer: null,
      userAgent: 'aws-sdk-js/3.600.0',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
    },
  ],
  [
    'the completion of a multipart upload (CompleteMultipartUpload)',
    L.MULTIPART_COMPLETE,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:01:30Z'),
      remoteIp: '192.0.2.3',
      requester: L.APP_ROLE,
      requestId: '4A11A11A3EXAMPLE',
      operation: 'REST.POST.UPLOAD',
      key: 'videos/big.mp4',
      requestUri: 'POST /videos/big.mp4?uploadId=VXBsb2FkSUQ HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: 329,
      objectSize: 16777216,
      totalTimeMs: 95,
      turnAroundTimeMs: 94,
      referer: null,
      userAgent: 'aws-sdk-js/3.600.0',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
    },
  ],
  [
    'a GET with a quoted referer and a user agent holding spaces and parentheses',
    L.GET_OBJECT,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:02:00Z'),
      remoteIp: '198.51.100.7',
      requester: L.ALICE,
      requestId: '5B22B22B1EXAMPLE',
      operation: 'REST.GET.OBJECT',
      key: 'cases/case-1/report%20final.pdf',
      requestUri: 'GET /cases/case-1/report%20final.pdf HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: 284123,
      objectSize: 284123,
      totalTimeMs: 38,
      turnAroundTimeMs: 21,
      referer: 'https://s3.console.aws.amazon.com/',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) S3Console/0.4',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
    },
  ],
  [
    'a DELETE whose byte counts and turn-around are `-`',
    L.DELETE_OBJECT,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:03:00Z'),
      remoteIp: '198.51.100.7',
      requester: L.ALICE,
      requestId: '6C33C33C1EXAMPLE',
      operation: 'REST.DELETE.OBJECT',
      key: 'tmp/old.txt',
      requestUri: 'DELETE /tmp/old.txt HTTP/1.1',
      httpStatus: 204,
      errorCode: null,
      bytesSent: null,
      objectSize: null,
      totalTimeMs: 9,
      turnAroundTimeMs: null,
      referer: null,
      userAgent: 'aws-cli/2.15.0 Python/3.11',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
    },
  ],
  [
    'a 403 with its error code and requester',
    L.PUT_DENIED,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:04:00Z'),
      remoteIp: '203.0.113.9',
      requester: 'arn:aws:sts::123456789012:assumed-role/Intruder/session-1',
      requestId: '7D44D44D1EXAMPLE',
      operation: 'REST.PUT.OBJECT',
      key: 'secrets/x.txt',
      requestUri: 'PUT /secrets/x.txt HTTP/1.1',
      httpStatus: 403,
      errorCode: 'AccessDenied',
      bytesSent: 243,
      objectSize: 120,
      totalTimeMs: 5,
      turnAroundTimeMs: null,
      referer: null,
      userAgent: 'curl/8.5.0',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
    },
  ],
  [
    'a 404 NoSuchKey',
    L.GET_MISSING,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:05:00Z'),
      remoteIp: '198.51.100.7',
      requester: L.ALICE,
      requestId: '8E55E55E1EXAMPLE',
      operation: 'REST.GET.OBJECT',
      key: 'cases/none.pdf',
      requestUri: 'GET /cases/none.pdf HTTP/1.1',
      httpStatus: 404,
      errorCode: 'NoSuchKey',
      bytesSent: 272,
      objectSize: null,
      totalTimeMs: 6,
      turnAroundTimeMs: null,
      referer: null,
      userAgent: 'aws-cli/2.15.0 Python/3.11',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
    },
  ],
  [
    'a pre-signed request: query-string auth, access point, ACL required, a non-UTC offset (00:06 at -0500 is 05:06 UTC)',
    L.PRESIGNED_GET,
    {
      ...SHARED,
      time: new Date('2019-02-06T05:06:00Z'),
      remoteIp: '192.0.2.44',
      requester: L.APP_ROLE,
      requestId: '9F66F66F1EXAMPLE',
      operation: 'REST.GET.OBJECT',
      key: 'shared/invoice.pdf',
      requestUri:
        'GET /shared/invoice.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20190206%2Fus-west-1%2Fs3%2Faws4_request&X-Amz-Expires=900&X-Amz-Signature=abc123 HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: 1024,
      objectSize: 1024,
      totalTimeMs: 30,
      turnAroundTimeMs: 12,
      referer: 'https://app.example.com/cases',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
      authenticationType: 'QueryString',
      accessPointArn: 'arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP',
      aclRequired: true,
    },
  ],
  [
    'the oldest, shorter record: later fields are null, the anonymous requester and the `-` key too',
    L.FEWER_FIELDS,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:07:00Z'),
      remoteIp: '192.0.2.3',
      requester: null,
      requestId: 'A1206F460EXAMPLE',
      operation: 'REST.GET.BUCKET',
      key: null,
      requestUri: `GET /${L.BUCKET}?list-type=2 HTTP/1.1`,
      httpStatus: 200,
      errorCode: null,
      bytesSent: 530,
      objectSize: null,
      totalTimeMs: 14,
      turnAroundTimeMs: 13,
      referer: null,
      userAgent: 'S3Console/0.4',
      versionId: null,
      hostId: null,
      signatureVersion: null,
      cipherSuite: null,
      authenticationType: null,
      hostHeader: null,
      tlsVersion: null,
      accessPointArn: null,
      aclRequired: null,
      sourceRegion: null,
      extraFields: [],
    },
  ],
  [
    'a record with fields appended after the documented ones: the known ones as usual, the rest kept',
    L.EXTRA_FIELDS,
    {
      ...SHARED,
      time: new Date('2019-02-06T00:08:00Z'),
      remoteIp: '192.0.2.3',
      requester: L.APP_ROLE,
      requestId: 'B2B2B2B2EXAMPLE',
      operation: 'REST.COPY.OBJECT',
      key: 'cases/copy.pdf',
      requestUri: 'PUT /cases/copy.pdf HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: 234,
      objectSize: 284123,
      totalTimeMs: 70,
      turnAroundTimeMs: 69,
      referer: null,
      userAgent: 'aws-sdk-js/3.600.0',
      versionId: null,
      hostId: L.HOST_ID,
      ...TAIL,
      extraFields: ['future-field-1', 'future field 2'],
    },
  ],
];

describe('parseAccessLogLine', () => {
  it.each(EXPECTED)('reads every field of %s', (_, line, expected) => {
    expect(parse(line)).toEqual(expected);
  });

  it('has an expected record for every fixture line', () => {
    expect(EXPECTED.map(([, line]) => line)).toEqual(L.ALL_LINES);
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
