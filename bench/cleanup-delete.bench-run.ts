// Cleanup deletion against moto: 10,000 old test objects deleted by the cleanup executor
// (DeleteObjects, 1,000 keys a call) against the floor of 10 calls, and its time against deleting
// the same number one DeleteObject at a time, in one run. Fails only on wrong answers, never on speed.
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, expect, it } from 'vitest';
import { executeCleanup } from '../src/actions/cleanup-executor.js';
import { listTestVersions } from '../src/actions/cleanup-listing.js';
import { silentLogger } from '../src/lib/logger.js';
import { createTestAwsClients } from '../test/helpers/services.js';
import { createBucket, putObjects, uniqueBucketName } from '../test/helpers/seed.js';
import { fixed, markdownTable, runMeta, writeResult } from './lib/results.js';

const OBJECTS = Number(process.env.BENCH_CLEANUP_OBJECTS ?? 10_000);
const PREFIX = '_s3-chatops/test/';
const s3 = createTestAwsClients().s3;
afterAll(() => s3.destroy());

async function seed(name: string): Promise<string> {
  const bucket = await createBucket(uniqueBucketName(name));
  const keys = Array.from({ length: OBJECTS }, (_, i) => ({ key: `${PREFIX}bench-${String(i).padStart(6, '0')}.bin`, size: 1, ageDays: 10 }));
  // putObjects runs 8 at a time; four slices at once make 32.
  const slice = Math.ceil(keys.length / 4);
  await Promise.all([0, 1, 2, 3].map((i) => putObjects(bucket, keys.slice(i * slice, (i + 1) * slice))));
  return bucket;
}

async function countLeft(bucket: string): Promise<number> {
  return (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, MaxKeys: 1 }))).KeyCount ?? 0;
}

it(`deletes ${OBJECTS} test objects in ceil(n/1000) DeleteObjects calls, and against one DeleteObject at a time`, async () => {
  const seedStart = performance.now();
  const [batched, single] = await Promise.all([seed('bench-cleanup-batch'), seed('bench-cleanup-single')]);
  const seedMs = performance.now() - seedStart;

  let deleteObjectsCalls = 0;
  const counted = createTestAwsClients().s3;
  counted.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'DeleteObjectsCommand') deleteObjectsCalls += 1;
    return next(args);
  }, { step: 'initialize', name: 'countDeleteObjects' });
  const batchStart = performance.now();
  const result = await executeCleanup({ s3: counted, logger: silentLogger() }, batched, { prefix: PREFIX, cutoff: new Date(Date.now() - 7 * 86_400_000), includeUnmarked: true });
  const batchMs = performance.now() - batchStart;
  counted.destroy();

  const singleStart = performance.now();
  const listed = await listTestVersions(s3, single, PREFIX);
  for (const v of listed) await s3.send(new DeleteObjectCommand({ Bucket: single, Key: v.key }));
  const singleMs = performance.now() - singleStart;

  expect(result).toMatchObject({ deleted: OBJECTS, failures: [], done: true });
  expect(await countLeft(batched)).toBe(0);
  expect(await countLeft(single)).toBe(0);
  expect(deleteObjectsCalls).toBe(Math.ceil(OBJECTS / 1_000));

  const table = markdownTable(
    ['way', 'S3 delete calls', 'floor', 's (listing included)', 'objects/s'],
    [
      ['cleanup executor (DeleteObjects, 1,000 a call)', String(deleteObjectsCalls), String(Math.ceil(OBJECTS / 1_000)), fixed(batchMs / 1000, 2), fixed(OBJECTS / (batchMs / 1000), 0)],
      ['one DeleteObject at a time', String(listed.length), '—', fixed(singleMs / 1000, 2), fixed(OBJECTS / (singleMs / 1000), 0)],
    ],
  );
  console.log(`\n${table}\nspeed-up ${fixed(singleMs / batchMs, 1)}×; seeding ${fixed(seedMs / 1000, 1)} s for ${2 * OBJECTS} objects\n`);
  writeResult('cleanup-delete', { meta: runMeta(), table, objects: OBJECTS, deleteObjectsCalls, batchMs, singleMs, singleCalls: listed.length, speedUp: singleMs / batchMs, seedMs });
});
