/**
 * One request of an S3 server access log, every field AWS documents, in the order they appear
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html). `-` reads as `null`.
 */
export interface AccessLogRecord {
  bucketOwner: string | null;
  bucket: string | null;
  time: Date;
  remoteIp: string | null;
  /** Canonical user id, an IAM/STS ARN, or `null` for an anonymous request. */
  requester: string | null;
  requestId: string | null;
  /** e.g. `REST.PUT.OBJECT`, `REST.POST.UPLOAD`, `BATCH.DELETE.OBJECT`. */
  operation: string | null;
  /** The key as logged: URL-encoded. */
  key: string | null;
  /** The request line, unquoted: `PUT /bucket/key HTTP/1.1`. */
  requestUri: string | null;
  httpStatus: number | null;
  errorCode: string | null;
  bytesSent: number | null;
  objectSize: number | null;
  totalTimeMs: number | null;
  turnAroundTimeMs: number | null;
  referer: string | null;
  userAgent: string | null;
  versionId: string | null;
  hostId: string | null;
  /** `SigV2`, `SigV4`, or `null` for unauthenticated requests. */
  signatureVersion: string | null;
  cipherSuite: string | null;
  /** `AuthHeader` or `QueryString` (a pre-signed URL). */
  authenticationType: string | null;
  hostHeader: string | null;
  tlsVersion: string | null;
  accessPointArn: string | null;
  /** `true` when an ACL was required to authorize the request (`Yes`). */
  aclRequired: boolean | null;
  /** The region the request came from, where AWS logs it. */
  sourceRegion: string | null;
  /** Fields AWS may add after the ones above, as logged. */
  extraFields: string[];
}

/** How many fields the oldest documented record has (through User-Agent); fewer means a broken line. */
export const MIN_FIELDS = 17;
/** The named fields of `AccessLogRecord`, through `sourceRegion`. */
export const KNOWN_FIELDS = 27;
